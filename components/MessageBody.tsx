// A message's content as React elements from the safe Markdown tree (lib/markdown): no HTML string is ever
// built or injected, so raw HTML in a message is just text, and only the elements below can appear.
import { Fragment, useMemo, type ReactNode } from "react";
import { LINK_REL, LINK_TARGET } from "@/lib/markdown/links";
import { parseMarkdown } from "@/lib/markdown/parser";
import type { ContainerKind, MdNode } from "@/lib/markdown/tree";
import { sanitize } from "@/lib/text/sanitize";

export interface MessageBodyOptions {
  /** how `@name` is shown (plain `@name` by default); the hook for mention highlighting */
  renderMention?: (name: string) => ReactNode;
}

export interface MessageBodyProps extends MessageBodyOptions {
  content: string;
  /** shown at the end of the last paragraph (or after the last block), e.g. "(edited)" */
  trailing?: ReactNode;
}

export function MessageBody({ content, trailing, renderMention }: MessageBodyProps) {
  // control characters (bar newline and tab) would render as boxes: dropped before parsing
  const tree = useMemo(() => parseMarkdown(sanitize(content)), [content]);
  const last = tree.at(-1);
  const options = { renderMention };
  if (trailing && last?.kind === "paragraph") {
    return (
      <>
        {nodes(tree.slice(0, -1), options)}
        <p dir="auto">
          {nodes(last.children, options)} {trailing}
        </p>
      </>
    );
  }
  return (
    <>
      {nodes(tree, options)}
      {trailing ? <> {trailing}</> : null}
    </>
  );
}

const nodes = (list: readonly MdNode[], options: MessageBodyOptions): ReactNode =>
  list.map((node, i) => <Fragment key={i}>{element(node, options)}</Fragment>);

function element(node: MdNode, options: MessageBodyOptions): ReactNode {
  switch (node.kind) {
    case "text":
      return node.text;
    case "break":
      return <br />;
    case "code":
      return <code>{node.text}</code>;
    case "codeBlock":
      return (
        // code reads left to right, whatever the message around it
        <pre tabIndex={0} dir="ltr">
          <code>{node.text}</code>
        </pre>
      );
    case "emoji":
      return (
        <span className="md-emoji" title={`:${node.name}:`}>
          {node.text}
        </span>
      );
    case "mention":
      return options.renderMention ? options.renderMention(node.name) : `@${node.name}`;
    case "link":
      return (
        <a href={node.href} rel={LINK_REL} target={LINK_TARGET}>
          {nodes(node.children, options)}
        </a>
      );
    case "list":
      return node.ordered ? (
        <ol start={node.start === 1 ? undefined : node.start}>{nodes(node.children, options)}</ol>
      ) : (
        <ul>{nodes(node.children, options)}</ul>
      );
    default:
      return container(node, options);
  }
}

function container(node: Extract<MdNode, { kind: ContainerKind }>, options: MessageBodyOptions): ReactNode {
  const children = nodes(node.children, options);
  switch (node.kind) {
    // each paragraph and item takes its own direction: a Hebrew one under an English one reads right to left
    case "paragraph":
      return <p dir="auto">{children}</p>;
    case "strong":
      return <strong>{children}</strong>;
    case "em":
      return <em>{children}</em>;
    case "strike":
      return <s>{children}</s>;
    case "blockquote":
      return <blockquote>{children}</blockquote>;
    case "item":
      return <li dir="auto">{children}</li>;
  }
}
