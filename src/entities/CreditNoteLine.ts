import { Entity, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { minorUnits } from './columns.js';
import { CreditNote } from './CreditNote.js';
import { Identified } from './base.js';

/** One line of a credit note: what is credited and how much (positive minor units; the note shows it taken off). */
@ObjectType()
@Entity({ tableName: 'credit_note_lines' })
export class CreditNoteLine extends Identified {
  @ManyToOne(() => CreditNote, { deleteRule: 'restrict' })
  creditNote!: CreditNote;

  @Field(() => Int)
  @Property({ type: 'integer' })
  position!: number;

  @Field()
  @Property({ type: 'text' })
  description!: string;

  @Property({ type: minorUnits() })
  amount!: number;
}
