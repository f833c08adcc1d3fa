/** One HTTP request a channel sends, built by a pure function and sent by `deliver.ts`. */
export interface AlertRequest {
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body: string | null;
}

/**
 * A value fit for an HTTP header: fetch refuses anything outside Latin-1 and a line break would
 * split the header, so line breaks become spaces and other characters outside printable ASCII are
 * percent-encoded (a store name in Chinese stays readable to a receiver that decodes it).
 */
export const headerValue = (value: string): string =>
  value.replace(/[\r\n]+/g, ' ').replace(/[^\x20-\x7e]/gu, (c) => encodeURIComponent(c));
