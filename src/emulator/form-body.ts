/**
 * Parses Stripe's form encoding (`metadata[order]=42`, `expand[]=data`, `items[0][price]=price_…`)
 * into nested objects and arrays, the way the API reads it.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

/** `a[b][]` → ['a', 'b', '']. A key without brackets is one segment. */
export function splitFormKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const segments = [key.slice(0, open)];
  for (const match of key.slice(open).matchAll(/\[([^\]]*)\]/g)) segments.push(match[1] ?? '');
  return segments;
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function parseStripeForm(text: string): FormObject {
  const root: FormObject = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const segments = splitFormKey(key);
    if (segments.some((segment) => UNSAFE_KEYS.has(segment))) continue;
    setPath(root, segments, value);
  }
  return root;
}

function setPath(root: FormObject, segments: string[], value: string): void {
  let container: FormObject | FormValue[] = root;
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index]!;
    const last = index === segments.length - 1;
    const next = segments[index + 1];
    const child: FormValue = last ? value : next === '' || /^\d+$/.test(next ?? '') ? [] : {};
    if (Array.isArray(container)) {
      const position = segment === '' ? container.length : Number(segment);
      container[position] = last ? value : (container[position] ?? child);
      if (!last) container = container[position] as FormObject | FormValue[];
    } else {
      const existing: FormValue | undefined = container[segment];
      container[segment] = last ? value : (existing !== undefined && typeof existing !== 'string' ? existing : child);
      if (!last) container = container[segment] as FormObject | FormValue[];
    }
  }
}
