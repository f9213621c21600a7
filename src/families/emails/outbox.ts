/**
 * What sendSample (and, once campaigns send emails, their flows) would have sent: kept in memory for tests to read
 * through GET /admin/outbox, as MailHog or Mailpit keep mail for SMTP users; no mail leaves the machine. Bounded in
 * bytes (the oldest messages go first), emptied by DELETE /admin/outbox and by reset.
 */

export interface OutboxMessage {
  id: number;
  sentAt: number;
  emailId: number;
  emailName: string;
  /** Which version was sent: the draft if there is one (what its author is working on), else the approved one. */
  status: 'approved' | 'draft';
  to: string;
  from: { name: string; email: string };
  replyTo: string;
  subject: string;
  /** The rendered HTML, tokens filled; null for a text-only sample. */
  html: string | null;
  text: string;
  leadId: number | null;
  kind: 'sample';
}

/** Messages beyond this many bytes (their text, counted as UTF-16) push the oldest out. */
export const OUTBOX_MAX_BYTES = 16 * 1024 * 1024;
export const OUTBOX_MAX_MESSAGES = 1000;

function sizeOf(message: OutboxMessage): number {
  return 2 * (message.subject.length + message.text.length + (message.html?.length ?? 0) + message.to.length) + 256;
}

export class Outbox {
  private messages: { message: OutboxMessage; bytes: number }[] = [];
  private bytes = 0;
  private nextId = 1;

  constructor(
    private readonly maxBytes = OUTBOX_MAX_BYTES,
    private readonly maxMessages = OUTBOX_MAX_MESSAGES,
  ) {}

  add(message: Omit<OutboxMessage, 'id'>): OutboxMessage {
    const stored = { ...message, id: this.nextId++ };
    const bytes = sizeOf(stored);
    this.messages.push({ message: stored, bytes });
    this.bytes += bytes;
    while (this.messages.length > 1 && (this.bytes > this.maxBytes || this.messages.length > this.maxMessages)) {
      this.bytes -= this.messages.shift()!.bytes;
    }
    return stored;
  }

  /** Newest first. */
  list(): OutboxMessage[] {
    return this.messages.map(({ message }) => message).reverse();
  }

  clear(): void {
    this.messages = [];
    this.bytes = 0;
  }
}
