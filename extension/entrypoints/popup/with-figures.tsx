/** Figures in a text ("45 s", "4 min 10 s", "95 %") that must never break over two lines. */
const FIGURE = /(\d+(?:\.\d+)? (?:s|min|h|d|%)(?: \d+ (?:s|min))?)/;

/** The text as it reads, with each figure kept on one line (`.figure` does not wrap). */
export function WithFigures({ text }: { text: string }) {
  return (
    <>
      {text.split(FIGURE).map((part, i) =>
        i % 2 === 1 ? (
          // The parts of one text, in their order: the index is their identity.
          <span key={i} class="figure">
            {part}
          </span>
        ) : (
          part
        ),
      )}
    </>
  );
}
