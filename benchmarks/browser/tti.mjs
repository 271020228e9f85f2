// Time to interactive of a page in Debian's Chromium, driven by playwright-core (npm), for
// benchmarks/frontend.py, which starts the servers and prints the figures.
//
//   node tti.mjs config.json   ->   one JSON line on stdout
//
// config: {executablePath, args, runs, timeoutMs, throttles: [1, 4],
// pages: [{label, url, cookies, rowSelector, rows, inputSelector}],
// scriptPages: [{label, url, cookies}]}.
// Every run is a fresh browser context (empty cache, cookies set before the visit); the pages
// take turns run by run, so a machine that gets busier slows every page alike. "ready" is
// performance.now() (milliseconds since the navigation started) at the first animation frame
// where the page has `rows` rows, the last one rendered, and the add-task input takes the
// focus; "ttfb" the first byte of the response, "dcl" the end of DOMContentLoaded, "load" the
// end of the load event. scriptPages are visited once each: every script they load, with the
// bytes transferred.
import { readFileSync } from "node:fs";

import { chromium } from "playwright-core";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));

function ready({ rowSelector, rows, inputSelector }) {
  const found = document.querySelectorAll(rowSelector);
  if (found.length < rows || !found[rows - 1].checkVisibility()) return false;
  const input = document.querySelector(inputSelector);
  if (!input || input.disabled || !input.checkVisibility()) return false;
  const before = document.activeElement;
  input.focus({ preventScroll: true });
  const focused = document.activeElement === input;
  if (focused) {
    input.blur();
    if (before instanceof HTMLElement) before.focus({ preventScroll: true });
  }
  return focused ? performance.now() : false;
}

async function measure(browser, page, throttle) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addCookies(page.cookies);
  const tab = await context.newPage();
  const errors = [];
  tab.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  tab.on("pageerror", (error) => errors.push(String(error)));
  if (throttle !== 1) {
    const cdp = await context.newCDPSession(tab);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
  }
  try {
    await tab.goto(page.url, { waitUntil: "commit" });
    const handle = await tab.waitForFunction(ready, page, { polling: "raf", timeout: config.timeoutMs });
    const readyMs = await handle.jsonValue();
    await tab.waitForLoadState("load");
    const timing = await tab.evaluate(() => {
      const navigation = performance.getEntriesByType("navigation")[0];
      const scripts = performance
        .getEntriesByType("resource")
        .filter((entry) => entry.initiatorType === "script" || entry.name.endsWith(".js"));
      return {
        ttfb: navigation.responseStart,
        dcl: navigation.domContentLoadedEventEnd,
        load: navigation.loadEventEnd,
        scriptBytes: scripts.reduce((sum, entry) => sum + entry.encodedBodySize, 0),
        scripts: scripts.length,
      };
    });
    return { ready: readyMs, ...timing, errors };
  } catch (error) {
    const rows = await tab.locator(page.rowSelector).count().catch(() => -1);
    return { error: `${String(error).split("\n")[0]} (rows found: ${rows})`, errors };
  } finally {
    await context.close();
  }
}

/** Every script a page loads, with the bytes transferred (compressed as served). */
async function scriptsOf(browser, page) {
  const context = await browser.newContext();
  await context.addCookies(page.cookies);
  const tab = await context.newPage();
  await tab.goto(page.url, { waitUntil: "load" });
  await tab.waitForTimeout(500);
  const scripts = await tab.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .filter((entry) => entry.initiatorType === "script" || entry.name.endsWith(".js"))
      .map((entry) => ({ url: entry.name, bytes: entry.encodedBodySize })),
  );
  await context.close();
  return { label: page.label, scripts };
}

const browser = await chromium.launch({ executablePath: config.executablePath, args: config.args });
const version = browser.version();
const results = [];
const transfers = [];
try {
  // One visit per page first, not counted: the servers' first requests load templates and code.
  for (const page of config.pages) await measure(browser, page, 1);
  for (const page of config.scriptPages ?? []) transfers.push(await scriptsOf(browser, page));
  for (const throttle of config.throttles) {
    const runs = Object.fromEntries(config.pages.map((page) => [page.label, []]));
    for (let run = 0; run < config.runs; run += 1) {
      for (const page of config.pages) runs[page.label].push(await measure(browser, page, throttle));
    }
    for (const page of config.pages) results.push({ label: page.label, throttle, runs: runs[page.label] });
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ browser: version, results, transfers }));
