import { useState, type RefObject } from "react";

/**
 * Copies `text` to the clipboard. A browser may refuse (no permission, not a secure context, an
 * unfocused page): then `target`, the text on screen, is selected to be copied by hand, and the
 * page goes on as before.
 */
export function CopyButton(props: { text: string; label: string; target: RefObject<HTMLElement> }) {
  const [said, setSaid] = useState("");

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard here");
      await navigator.clipboard.writeText(props.text);
      setSaid("Copied.");
    } catch {
      if (props.target.current) window.getSelection()?.selectAllChildren(props.target.current);
      setSaid("The browser would not copy it, so it is selected: copy it with Ctrl+C (⌘C on a Mac).");
    }
  }

  return (
    <span className="copy">
      <button type="button" className="secondary" onClick={copy}>
        {props.label}
      </button>
      <span role="status" className="hint">
        {said}
      </span>
    </span>
  );
}
