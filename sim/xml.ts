/**
 * Builds XML answers. AWS objects are written through a wire table that names each field's
 * element, because AWS's element names do not follow from the field names (`Description` of a
 * security group is `groupDescription`, `UserIdGroupPairs` is `groups`). The tables are copied
 * from the SDK's own schemas, and the tests read every answer back through the real SDK.
 */

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** An element around content that is already XML. */
export function element(name: string, content: string): string {
  return content === '' ? `<${name}/>` : `<${name}>${content}</${name}>`;
}

export type XmlScalar = string | number | boolean;

export function textElement(name: string, value: XmlScalar): string {
  return element(name, escapeXml(String(value)));
}

/** The elements for whichever of these fields are present, in order. */
export function textElements(fields: Readonly<Record<string, XmlScalar | undefined | null>>): string {
  let out = '';
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null) out += textElement(name, value);
  }
  return out;
}

export interface XmlStruct {
  readonly struct: XmlShape;
  readonly name: string;
}
export interface XmlList {
  readonly list: XmlShape | 'text';
  readonly name: string;
  /** The element around each item; the protocol's default (`item`, `member`) when absent. */
  readonly item?: string;
}
/** A scalar field is written as the element named by the string. */
export type XmlField = string | XmlStruct | XmlList;
export type XmlShape = { readonly [field: string]: XmlField };

export const struct = (name: string, shape: XmlShape): XmlStruct => ({ name, struct: shape });
export const list = (name: string, item: XmlShape | 'text', itemName?: string): XmlList =>
  itemName === undefined ? { name, list: item } : { name, list: item, item: itemName };

/**
 * Writes the fields of `value` that `shape` names, in the shape's order. Absent and null fields
 * are left out, as AWS leaves them out; an empty list is written as an empty element.
 */
export function shapeToXml(value: object, shape: XmlShape, defaultItem: string): string {
  const record = value as Record<string, unknown>;
  let out = '';
  for (const [field, wire] of Object.entries(shape)) {
    const fieldValue = record[field];
    if (fieldValue === undefined || fieldValue === null) continue;
    out += fieldToXml(field, fieldValue, wire, defaultItem);
  }
  return out;
}

/** A list of AWS objects under one element: `<securityGroupInfo><item>…</item></securityGroupInfo>`. */
export function listToXml(name: string, items: readonly object[], shape: XmlShape, itemName: string): string {
  return element(name, items.map((item) => element(itemName, shapeToXml(item, shape, itemName))).join(''));
}

function fieldToXml(field: string, value: unknown, wire: XmlField, defaultItem: string): string {
  if (typeof wire === 'string') return textElement(wire, scalar(field, value));
  if ('struct' in wire) return element(wire.name, shapeToXml(object(field, value), wire.struct, defaultItem));
  if (!Array.isArray(value)) throw new TypeError(`${field} should be a list, got ${typeof value}`);
  const itemName = wire.item ?? defaultItem;
  const itemShape = wire.list;
  const items = value.map((item: unknown) =>
    itemShape === 'text'
      ? textElement(itemName, scalar(field, item))
      : element(itemName, shapeToXml(object(field, item), itemShape, defaultItem)),
  );
  return element(wire.name, items.join(''));
}

function scalar(field: string, value: unknown): XmlScalar {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new TypeError(`${field} should be a string, number or boolean, got ${typeof value}`);
}

function object(field: string, value: unknown): object {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  throw new TypeError(`${field} should be an object, got ${typeof value}`);
}
