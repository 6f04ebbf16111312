// Runs axe-core in headless Chromium over the pages bench/accessibility.py names, and takes its
// screenshots. Reads a JSON job on stdin, writes a JSON report on stdout.
//
// job: {chromium, axe, pages: [{name, url}], widths: [390, 1280],
//       shots: [{name, url, width, path, selector?, fullPage?}]}
// report: {results: [{name, url, width, status, violations: [{id, impact, help, nodes: [...]}],
//          overflow: [...]}], shots: [...]}
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const job = JSON.parse(readFileSync(0, "utf8"));
const require = createRequire(job.node_modules + "/");
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const browser = await chromium.launch({
  executablePath: job.chromium,
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--font-render-hinting=none"],
});

// Elements wider than the viewport make the whole page scroll sideways (the month chart's
// figure scrolls by itself, so it is not one of them).
function pageOverflow() {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let clipped = false;
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      const style = getComputedStyle(parent);
      if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX)) { clipped = true; break; }
    }
    if (!clipped) wide.push(`${element.tagName.toLowerCase()}.${element.className || ""}`.slice(0, 80));
  }
  return { scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5) };
}

const results = [];
for (const width of job.widths) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "zh-CN" });
  const page = await context.newPage();
  for (const target of job.pages) {
    const response = await page.goto(target.url, { waitUntil: "load" });
    // Evaluated over the DevTools protocol: the page's Content-Security-Policy refuses inline scripts.
    await page.evaluate(axeSource);
    const axe = await page.evaluate(async () => {
      const outcome = await window.axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
      });
      return outcome.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
      }));
    });
    const overflow = await page.evaluate(pageOverflow);
    results.push({ name: target.name, url: target.url, width, status: response ? response.status() : 0, violations: axe, overflow });
  }
  await context.close();
}

const shots = [];
for (const shot of job.shots) {
  const context = await browser.newContext({ viewport: { width: shot.width, height: 900 }, locale: "zh-CN", deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(shot.url, { waitUntil: "load" });
  if (shot.media) await page.emulateMedia({ media: shot.media });
  if (shot.selector) {
    await page.locator(shot.selector).first().screenshot({ path: shot.path });
  } else {
    await page.screenshot({ path: shot.path, fullPage: shot.fullPage !== false });
  }
  if (shot.pdf) {
    await page.emulateMedia({ media: "print" });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
    const box = pdf.toString("latin1").match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
    shots.push({ name: shot.name, path: shot.path, pdf_pages: pages, pdf_points: box ? [Number(box[1]), Number(box[2])] : null });
  } else {
    shots.push({ name: shot.name, path: shot.path });
  }
  await context.close();
}

await browser.close();
process.stdout.write(JSON.stringify({ results, shots }));
