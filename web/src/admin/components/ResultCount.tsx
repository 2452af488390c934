// "42 customers match": how many rows the filters find, announced politely when it changes.
import { Text } from '@mantine/core';
import { plural } from '../../lib/format';

export function ResultCount({ count, noun, many }: { count: number | undefined; noun: string; many?: string }) {
  if (count === undefined) return null;
  return (
    <Text size="sm" role="status">
      {plural(count, noun, many)} {count === 1 ? 'matches' : 'match'}
    </Text>
  );
}
