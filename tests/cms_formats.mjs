// Runs the CMS's formats (handout/admin/formats.js) in Node for tests/test_cms_formats.py, with the same YAML
// library the browser gets. Reads a JSON list of requests on stdin, writes the list of results on stdout:
//   {spec, text, edit}: read ``text`` as the CMS does, apply ``edit`` (keys to set; null deletes), write it back.
//   With no text, a new file; with "entries" in edit (registers), the new list of entries.
import * as YAML from "../node_modules/yaml/browser/index.js";
import { frontMatterFormat, registerFormat } from "../handout/admin/formats.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const results = JSON.parse(Buffer.concat(chunks).toString("utf8")).map(({ spec, text, edit }) => {
  const format = spec.register ? registerFormat(YAML, spec) : frontMatterFormat(YAML, spec);
  // Decap hands the data through JSON-like immutable maps: so do we.
  const data = text === null ? {} : JSON.parse(JSON.stringify(format.fromFile(text)));
  for (const [key, value] of Object.entries(edit ?? {})) {
    if (value === null) delete data[key];
    else data[key] = value;
  }
  return { data, text: format.toFile(data) };
});
process.stdout.write(JSON.stringify(results));
