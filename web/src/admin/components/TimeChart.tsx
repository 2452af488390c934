// A small chart of figures over time, drawn as SVG by hand (no chart library is part of the app): lines for
// amounts, bars for counts, one colour per series named in a legend. The drawing is described for screen readers
// by its title, and the same figures are a table under "Figures as a table", so nothing is only in the picture.
import { Group, Table, Text } from '@mantine/core';
import { useId } from 'react';

export interface Series {
  name: string;
  values: number[];
}

const WIDTH = 640;
const HEIGHT = 210;
const PAD = { top: 12, right: 24, bottom: 32, left: 24 };
const COLOURS = [
  'var(--mantine-color-teal-8)',
  'var(--mantine-color-orange-8)',
  'var(--mantine-color-indigo-7)',
  'var(--mantine-color-red-8)',
];

export function TimeChart({
  title,
  labels,
  series,
  kind,
  format,
}: {
  title: string;
  /** One label per bucket, oldest first. */
  labels: string[];
  series: Series[];
  kind: 'line' | 'bar';
  /** How a value reads (money in its currency, a count). */
  format: (value: number) => string;
}) {
  const id = useId();
  const max = Math.max(1, ...series.flatMap((one) => one.values));
  const innerWidth = WIDTH - PAD.left - PAD.right;
  const innerHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = innerWidth / Math.max(1, labels.length);
  const y = (value: number) => PAD.top + innerHeight - (value / max) * innerHeight;
  const xCentre = (index: number) => PAD.left + slot * index + slot / 2;
  const barWidth = Math.max(2, (slot * 0.7) / Math.max(1, series.length));
  const labelEvery = Math.ceil(labels.length / 5);
  return (
    <figure className="admin-figure" aria-labelledby={`${id}-title`}>
      <Text component="figcaption" fw={600} id={`${id}-title`}>
        {title}
      </Text>
      <Group gap="md" mt={4} aria-hidden="true">
        {series.map((one, index) => (
          <Group key={one.name} gap={6}>
            <svg width="14" height="14" aria-hidden="true">
              <rect width="14" height="14" rx="3" fill={COLOURS[index % COLOURS.length]} />
            </svg>
            <Text size="sm">{one.name}</Text>
          </Group>
        ))}
        <Text size="sm">highest {format(max)}</Text>
      </Group>
      <svg
        className="admin-chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`${title}: ${series.map((one) => `${one.name} from ${format(one.values[0] ?? 0)} to ${format(one.values.at(-1) ?? 0)}`).join('; ')}. The table below has every figure.`}
      >
        <line
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          y1={y(0)}
          y2={y(0)}
          stroke="var(--mantine-color-gray-5)"
          strokeWidth={1}
        />
        <line
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          y1={y(max)}
          y2={y(max)}
          stroke="var(--mantine-color-gray-3)"
          strokeDasharray="4 4"
        />
        {series.map((one, seriesIndex) =>
          kind === 'line' ? (
            <g key={one.name}>
              <polyline
                fill="none"
                stroke={COLOURS[seriesIndex % COLOURS.length]}
                strokeWidth={2.5}
                points={one.values.map((value, index) => `${xCentre(index)},${y(value)}`).join(' ')}
              />
              {one.values.map((value, index) => (
                <circle
                  key={index}
                  cx={xCentre(index)}
                  cy={y(value)}
                  r={3}
                  fill={COLOURS[seriesIndex % COLOURS.length]}
                />
              ))}
            </g>
          ) : (
            <g key={one.name}>
              {one.values.map((value, index) => (
                <rect
                  key={index}
                  x={xCentre(index) - (barWidth * series.length) / 2 + barWidth * seriesIndex}
                  y={y(value)}
                  width={barWidth}
                  height={Math.max(0, y(0) - y(value))}
                  fill={COLOURS[seriesIndex % COLOURS.length]}
                />
              ))}
            </g>
          ),
        )}
        {labels.map((label, index) =>
          index % labelEvery === 0 ? (
            <text key={index} x={xCentre(index)} y={HEIGHT - 8} fontSize={18} textAnchor="middle" fill="currentColor">
              {label}
            </text>
          ) : null,
        )}
      </svg>
      <details>
        <summary>Figures as a table</summary>
        <div className="admin-table-wrap" role="region" aria-label={`${title}, figures`} tabIndex={0}>
          <Table verticalSpacing={4}>
            <caption className="visually-hidden">{title}</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Period</Table.Th>
                {series.map((one) => (
                  <Table.Th key={one.name} scope="col" ta="right">
                    {one.name}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {labels.map((label, index) => (
                <Table.Tr key={index}>
                  <Table.Th scope="row" fw={400}>
                    {label}
                  </Table.Th>
                  {series.map((one) => (
                    <Table.Td key={one.name} ta="right" data-series={one.name}>
                      {format(one.values[index] ?? 0)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      </details>
    </figure>
  );
}
