// Reading fields out of PayPal's JSON without trusting its shape.

export function field(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

export function stringField(value: unknown, ...path: (string | number)[]): string | undefined {
  const found = field(value, ...path);
  return typeof found === 'string' ? found : undefined;
}

/** The href of the HATEOAS link with relation `rel`, if any. */
export function linkHref(resource: unknown, rel: string): string | undefined {
  const links = field(resource, 'links');
  if (!Array.isArray(links)) return undefined;
  const found = links.find((l: unknown) => stringField(l, 'rel') === rel);
  return stringField(found, 'href');
}
