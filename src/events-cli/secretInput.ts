/** What a secret is read from: a terminal (typed, not shown) or a pipe. */
export interface SecretInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/**
 * Reads one secret. On a terminal it prompts and reads up to Enter with nothing echoed (Ctrl-C gives up); from a
 * pipe it reads everything. Surrounding whitespace is dropped either way.
 */
export function readSecret(input: SecretInput, prompt: { write(text: string): unknown }, question: string): Promise<string> {
  return input.isTTY && input.setRawMode ? readHidden(input, prompt, question) : readAll(input);
}

function readAll(input: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => (text += chunk));
    input.once('end', () => resolve(text.trim()));
    input.once('error', reject);
  });
}

function readHidden(input: SecretInput, prompt: { write(text: string): unknown }, question: string): Promise<string> {
  prompt.write(question);
  input.setRawMode!(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (outcome: () => void) => {
      input.setRawMode!(false);
      input.pause();
      input.removeListener('data', onData);
      prompt.write('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\u0003') return finish(() => reject(new Error('cancelled; nothing was changed')));
        if (char === '\r' || char === '\n') return finish(() => resolve(text.trim()));
        if (char === '\u007f' || char === '\b') text = text.slice(0, -1);
        else text += char;
      }
    };
    input.on('data', onData);
  });
}
