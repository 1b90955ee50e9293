// MessageBody rendered the way the browser gets it (react-dom/server), for the Markdown tests.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MessageBody, type MessageBodyProps } from "../../components/MessageBody";

export const renderBody = (content: string, options: Omit<MessageBodyProps, "content"> = {}): string =>
  renderToStaticMarkup(createElement(MessageBody, { content, ...options }));
