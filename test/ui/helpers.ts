/** Waits until the rendered frame matches (ink renders asynchronously); fails with the last frame. */
export async function frameMatching(
  lastFrame: () => string | undefined,
  re: RegExp,
  tries = 400,
): Promise<string> {
  for (let i = 0; i < tries; i++) {
    const f = lastFrame() ?? '';
    if (re.test(f)) return f;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no frame matched ${re}; last frame:\n${lastFrame()}`);
}

/** Key sequences as a terminal sends them. */
export const KEY = { up: '\u001B[A', down: '\u001B[B', enter: '\r', escape: '\u001B' } as const;

/** Writes a key and lets ink process it. */
export async function press(stdin: { write(s: string): void }, key: string): Promise<void> {
  stdin.write(key);
  await new Promise((r) => setTimeout(r, 20));
}
