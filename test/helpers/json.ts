/**
 * A JSON document a test parses from the CLI's output, or reshapes on purpose into input the types
 * forbid (a wrong version, a replica list with a duplicate): its shape is what the test asserts,
 * not something the type checker can know. The one place tests opt out of typing parsed JSON.
 */
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON whose shape the test itself asserts (see above)
export type Json = any;
