// Starts Decap CMS (decap-cms.js, loaded after this script) once the site's own formats are registered with it:
// the formats read and write the site's files as its reader expects them (see formats.js).
window.CMS_MANUAL_INIT = true;

window.addEventListener("DOMContentLoaded", async () => {
  const [YAML, formats, specs] = await Promise.all([
    import("./yaml/index.js"),
    import("./formats.js"),
    fetch("formats.json").then((response) => response.json()),
  ]);
  for (const [name, spec] of Object.entries(specs)) {
    const format = spec.register ? formats.registerFormat(YAML, spec) : formats.frontMatterFormat(YAML, spec);
    window.CMS.registerCustomFormat(name, spec.extension, format);
  }
  window.CMS.init();
});
