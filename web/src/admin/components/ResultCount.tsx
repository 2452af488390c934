// "42 customers match": how many rows the filters find, announced politely when it changes.
import { Text } from '@mantine/core';
import { plural } from '../../lib/format';

export function ResultCount({ count, noun }: { count: number | undefined; noun: string }) {
  if (count === undefined) return null;
  return (
    <Text size="sm" role="status">
      {plural(count, noun)} {count === 1 ? 'matches' : 'match'}
    </Text>
  );
}
