/** Figures in a text ("45 s", "4 min 10 s", "95 %", "45 秒", "4 分钟 10 秒") that must never break over two lines. */
const FIGURE = /(\d+(?:\.\d+)? ?(?:s|min|h|d|%|秒|分钟|小时|天)(?: \d+ (?:s|min|秒|分钟))?)(?![\w])/;

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
