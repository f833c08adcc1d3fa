import type { ComponentChildren } from 'preact';
import { Fragment } from 'preact';

/**
 * A catalog text whose placeholders are elements (a node's name in bold), each where the language
 * puts it: Chinese and English do not order a sentence alike. Placeholders without a part stay visible.
 */
export function Said({ text, parts }: { text: string; parts: Record<string, ComponentChildren> }) {
  return (
    <>
      {text.split(/\{(\w+)\}/).map((piece, i) =>
        // The pieces of one text, in their order: the index is their identity.
        i % 2 === 1 ? <Fragment key={i}>{piece in parts ? parts[piece] : `{${piece}}`}</Fragment> : piece,
      )}
    </>
  );
}
