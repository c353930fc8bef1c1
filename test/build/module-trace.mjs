// `node --import ./module-trace.mjs …`: appends the URL of every module the process loads, ES and
// CommonJS, one per line, to the file named by MODULE_TRACE_FILE. For startup-imports.test.ts.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';

const file = process.env.MODULE_TRACE_FILE;
if (file) {
  const load = Module._load;
  Module._load = function traced(request, parent, isMain) {
    try {
      appendFileSync(file, `${pathToFileURL(Module._resolveFilename(request, parent, isMain)).href}\n`);
    } catch {
      // a built-in or an unresolvable request: the real load reports it
    }
    return load.apply(this, [request, parent, isMain]);
  };
  const hooks = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(file)}, url + '\\n');
  return next(url, context);
}`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}
