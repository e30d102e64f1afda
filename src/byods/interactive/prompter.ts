import { createInterface, Interface } from 'node:readline';
import type { Parsed } from '../validation';

/** The person left: Ctrl-C ("interrupt") or the end of input, e.g. Ctrl-D ("end"). */
export class PromptCancelled extends Error {
  readonly name = 'PromptCancelled';
  constructor(readonly reason: 'interrupt' | 'end') {
    super(reason === 'interrupt' ? 'Interrupted' : 'Input ended');
  }
}

export interface PrompterOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** True on a real terminal: line editing, and Ctrl-C arrives as a key rather than a signal. */
  terminal: boolean;
  /** Ctrl-C while no question is open (a Webex call is running): the caller decides how to leave. */
  onInterruptWhileBusy?: () => void;
}

/**
 * Questions and answers over any pair of streams, so the menu runs the same on a terminal and
 * in tests. Lines typed ahead of a question are kept for it rather than lost.
 */
export class Prompter {
  private readonly rl: Interface;
  private readonly typedAhead: string[] = [];
  private waiting: { resolve: (line: string) => void; reject: (err: PromptCancelled) => void } | undefined;
  private cancelled: PromptCancelled | undefined;

  constructor(private readonly opts: PrompterOptions) {
    this.rl = createInterface({ input: opts.input, output: opts.output, terminal: opts.terminal });
    this.rl.on('line', (line) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (waiting) waiting.resolve(line);
      else this.typedAhead.push(line);
    });
    this.rl.on('SIGINT', () => {
      if (!this.waiting && opts.onInterruptWhileBusy) opts.onInterruptWhileBusy();
      this.cancel(new PromptCancelled('interrupt'));
    });
    this.rl.on('close', () => this.cancel(new PromptCancelled('end')));
  }

  say(text = ''): void {
    this.opts.output.write(`${text}\n`);
  }

  ask(question: string): Promise<string> {
    const early = this.typedAhead.shift();
    if (this.cancelled) {
      // Piped input may end right after its last line: answer from what arrived before giving up.
      if (early === undefined) return Promise.reject(this.cancelled);
      this.opts.output.write(question);
      return Promise.resolve(early);
    }
    this.rl.setPrompt(question);
    this.rl.prompt();
    if (early !== undefined) return Promise.resolve(early);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** Asks until `parse` accepts the answer; Enter alone takes `defaultValue` (shown in brackets). */
  async askValid<T>(label: string, parse: (text: string) => Parsed<T>, defaultValue?: string): Promise<T> {
    const question = defaultValue !== undefined && defaultValue !== '' ? `${label} [${defaultValue}]: ` : `${label}: `;
    for (;;) {
      const answer = (await this.ask(question)).trim();
      const result = parse(answer === '' && defaultValue !== undefined ? defaultValue : answer);
      if (result.ok) return result.value;
      this.say(`  ${capitalise(result.reason)}. Please try again.`);
    }
  }

  /** y/N: only an explicit yes says yes. */
  async confirm(question: string): Promise<boolean> {
    for (;;) {
      const answer = (await this.ask(`${question} (y/N): `)).trim().toLowerCase();
      if (answer === 'y' || answer === 'yes') return true;
      if (answer === '' || answer === 'n' || answer === 'no') return false;
      this.say('  Please answer y or n.');
    }
  }

  close(): void {
    this.rl.close();
  }

  private cancel(reason: PromptCancelled): void {
    this.cancelled ??= reason;
    if (reason.reason === 'interrupt') this.typedAhead.length = 0;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(reason);
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
