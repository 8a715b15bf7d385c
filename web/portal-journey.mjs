// The parent portal in a real browser: Debian's Chromium driven by playwright-core (no
// browser is downloaded), against a running `mensa serve` on the demo data.
//
// It walks the journey of issue 6 as a parent in San Casciano does it, runs axe-core on
// every page at phone (360 px) and desktop width, failing on serious or critical
// violations, and writes a screenshot of every page at both widths.
//
//   MENSA_PORT=8080 node web/portal-journey.mjs
//
// Environment: MENSA_PORT (required), CHROMIUM (default /usr/bin/chromium),
// SCREENSHOTS (default target/screenshots, relative to the repository).
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const port = process.env.MENSA_PORT;
if (!port) {
  console.error('portal-journey: set MENSA_PORT to the port of a running `mensa serve` (demo mode)');
  process.exit(2);
}
const sanCasciano = `http://sancascianovaldipesa.localhost:${port}`;
const greve = `http://grevinchianti.localhost:${port}`;
const shots = resolve(process.env.SCREENSHOTS ?? join(here, '..', 'target', 'screenshots'));
mkdirSync(shots, { recursive: true });
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };
// Whatever names Greve's demo family and comune carry must never show on San Casciano.
const GREVE_WORDS = ['Greve', 'Ferri', 'Tommaso', 'Don Milani', 'FRRPLA79L09E169J'];

let passed = 0;
let failed = 0;
const failures = [];
function check(name, ok, detail = '') {
  if (ok) {
    passed += 1;
    console.log(`ok - ${name}`);
  } else {
    failed += 1;
    failures.push(`${name}${detail ? `: ${detail}` : ''}`);
    console.log(`not ok - ${name}${detail ? `: ${detail}` : ''}`);
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  // Root in CI has no user namespace for Chromium's sandbox; the pages are our own.
  args: ['--no-sandbox', '--host-resolver-rules=MAP *.localhost 127.0.0.1'],
});
// bypassCSP lets the test inject axe-core; the portal's own pages never need it.
const context = await browser.newContext({ bypassCSP: true, locale: 'it-IT', acceptDownloads: true });
const page = await context.newPage();
const consoleErrors = [];
// A refused login answers 401 and a refused form 422 on purpose; Chromium logs those
// responses as console errors, which are not errors of the page.
page.on('console', (message) => {
  const expected = /status of (401|422)/.test(message.text());
  if (message.type() === 'error' && !expected) consoleErrors.push(`${page.url()}: ${message.text()}`);
});
page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));

// Screenshots, axe and the basic page checks at both widths, then back to desktop.
const audited = [];
async function audit(name, { greveFree = true } = {}) {
  await page.waitForLoadState('load');
  const url = page.url();
  const html = await page.content();
  check(`${name}: Italian page`, /<html[^>]*lang="it"/.test(html));
  check(`${name}: one h1`, (await page.locator('h1').count()) === 1);
  check(`${name}: skip link`, (await page.locator('a[href="#contenuto"]').count()) === 1);
  if (greveFree) {
    const text = await page.locator('body').innerText();
    const leaked = GREVE_WORDS.filter((word) => text.includes(word));
    check(`${name}: nothing of Greve`, leaked.length === 0, leaked.join(', '));
  }
  for (const [label, size] of [['360', PHONE], ['desktop', DESKTOP]]) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(shots, `${name}-${label}.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (label === '360') check(`${name}: no sideways scrolling at 360 px`, overflow <= 0, `${overflow}px wider`);
    if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
      await page.addScriptTag({ content: axeSource });
    }
    const result = await page.evaluate(async () =>
      window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }),
    );
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const detail = serious
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`)
      .join('; ');
    check(`${name} at ${label}: no serious or critical axe violation`, serious.length === 0, detail);
    const minor = result.violations.filter((v) => !serious.includes(v));
    if (minor.length) console.log(`# ${name} at ${label}: minor axe findings: ${minor.map((v) => `${v.id} (${v.impact})`).join(', ')}`);
  }
  audited.push({ name, url });
}

async function go(path) {
  const response = await page.goto(`${sanCasciano}${path}`);
  return response;
}

// Euro as the portal writes it ("1.234,56 €") to cents.
function cents(text) {
  const match = /(-?[\d.]+,\d{2})\s*€/.exec(text);
  if (!match) throw new Error(`no amount in «${text}»`);
  return Math.round(Number(match[1].replaceAll('.', '').replace(',', '.')) * 100);
}

async function login(base, username, password) {
  await page.goto(`${base}/accesso`);
  await page.getByLabel('Nome utente').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.waitForLoadState('load');
}

try {
  // Anonymous: the comune's home page and the login form.
  await go('/');
  check('home shows the comune', (await page.locator('header').innerText()).includes('San Casciano in Val di Pesa'));
  await audit('home-anonimo');
  await page.getByRole('link', { name: 'Accedi al servizio' }).click();
  await audit('accesso');

  // Greve's parent logs in on Greve; that session is worth nothing on San Casciano.
  await login(greve, 'genitore', 'Mensa-2026');
  check('Greve parent logs in on Greve', (await page.locator('body').innerText()).includes('Paolo'));
  await go('/servizi/refezione/stato-contabile');
  check('a Greve session is not a San Casciano session', new URL(page.url()).pathname === '/accesso');
  await page.goto(`${greve}/`);
  await page.getByRole('button', { name: 'Esci' }).first().click();

  // A wrong password says what to do next.
  await login(sanCasciano, 'genitore', 'sbagliata');
  const error = await page.locator('.alert-danger').innerText();
  check('wrong password is refused with advice', error.includes('non corretti') && error.includes('ufficio refezione'), error);
  await audit('accesso-errore');

  // San Casciano's parent.
  await login(sanCasciano, 'genitore', 'Mensa-2026');
  check('logged in lands on the summary', new URL(page.url()).pathname === '/');
  const summary = await page.locator('main').innerText();
  check('summary greets Giulia', summary.includes('Giulia'));
  check('low-balance banner shows meals left', /Saldo sotto la soglia/.test(summary) && /basta ancora per|non basta/.test(summary), summary.slice(0, 300));
  await audit('riepilogo');

  await page.getByRole('link', { name: 'News', exact: true }).first().click();
  await audit('news');

  await page.getByRole('link', { name: 'Documenti', exact: true }).first().click();
  await audit('documenti');
  const documentLinks = page.locator('main a[href^="/documenti/"]');
  if ((await documentLinks.count()) > 0) {
    const [download] = await Promise.all([page.waitForEvent('download'), documentLinks.first().click()]);
    const bytes = readFileSync(await download.path());
    check('a document downloads', bytes.length > 0, download.suggestedFilename());
  } else {
    check('the demo has documents to download', false, 'no link under /documenti/');
  }

  await page.getByRole('link', { name: 'Tutore/genitore' }).first().click();
  check('anagrafica tutore shows the fiscal code', (await page.locator('main').innerText()).includes('CNTGLI84E61D612I'));
  await audit('anagrafica-tutore');

  await page.getByRole('link', { name: 'Alunni', exact: true }).first().click();
  const students = await page.locator('main').innerText();
  check('anagrafica alunni lists both children', students.includes('Luca') && students.includes('Sofia'));
  await audit('anagrafica-alunni');

  await page.getByRole('link', { name: 'Dettagli servizio' }).first().click();
  const service = await page.locator('main').innerText();
  check('dettagli servizio: school, class, days, band, price, diet',
    ['Scuola primaria G. Marconi', '3A', '1B', 'lunedì', 'Fascia B', '3,50 €', '5,20 €', 'Senza glutine', 'Normale'].every((w) => service.includes(w)),
    service.slice(0, 400));
  await audit('dettagli-servizio');

  await page.getByRole('link', { name: 'Stato contabile' }).first().click();
  const before = cents(await page.locator('#saldo').innerText());
  check('stato contabile shows a balance', Number.isFinite(before));
  await audit('stato-contabile');

  await page.getByRole('link', { name: /Pasti giorno per giorno di Luca/ }).click();
  const meals = await page.locator('main').innerText();
  check('the magnifier opens Luca\'s meals day by day', /ottobre 2026/.test(meals) && /3,50 €/.test(meals), meals.slice(0, 300));
  await audit('pasti-alunno');

  await page.goto(`${sanCasciano}/servizi/refezione/stato-contabile`);
  await page.getByLabel('Tipo').selectOption({ label: 'Ricarica' });
  await page.getByRole('button', { name: 'Filtra' }).click();
  const rows = await page.locator('table:has(caption:text("Movimenti")) tbody tr').allInnerTexts();
  check('movements filtered by kind show only top-ups', rows.length > 0 && rows.every((r) => r.includes('Ricarica')), rows.join(' / '));
  await audit('stato-contabile-filtrato');

  // Esegui ricarica: 20 € online through the sandbox checkout.
  await page.getByRole('link', { name: 'Esegui ricarica' }).first().click();
  await audit('esegui-ricarica');
  await page.getByLabel(/Importo/).fill('20');
  await page.getByRole('button', { name: 'Avanti' }).click();
  await audit('avviso-creato');
  await page.getByRole('link', { name: /Paga online/ }).click();
  await page.waitForLoadState('load');
  check('online payment opens the sandbox checkout', new URL(page.url()).pathname === '/sandbox/checkout');
  await page.screenshot({ path: join(shots, 'checkout-sandbox-desktop.png'), fullPage: true });
  await page.getByRole('button', { name: /Paga/ }).click();
  await page.waitForLoadState('load');
  check('after paying the parent is back on the portal', !new URL(page.url()).pathname.startsWith('/sandbox'));
  await page.goto(`${sanCasciano}/servizi/refezione/stato-contabile`);
  const after = cents(await page.locator('#saldo').innerText());
  check('the balance rose by 20,00 €', after - before === 2000, `${before} -> ${after} cents`);

  // The other way: generate the avviso and download its PDF.
  await page.getByRole('link', { name: 'Esegui ricarica' }).first().click();
  await page.getByLabel(/Importo/).fill('35,50');
  await page.getByRole('button', { name: 'Avanti' }).click();
  const notice = await page.locator('main').innerText();
  check('the avviso shows its 18-digit notice number', /\d{4}\s?\d{4}\s?\d{4}\s?\d{4}\s?\d{2}/.test(notice) && notice.includes('35,50 €'), notice.slice(0, 300));
  const [pdf] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /Scarica l'avviso/ }).click(),
  ]);
  const pdfBytes = readFileSync(await pdf.path());
  check('the avviso downloads as a PDF', pdfBytes.subarray(0, 5).toString() === '%PDF-', pdf.suggestedFilename());

  await page.getByRole('link', { name: 'Storico pagamenti' }).first().click();
  const history = await page.locator('main').innerText();
  check('storico pagamenti lists the paid and the open notice', /Pagato/.test(history) && /Da pagare/.test(history) && history.includes('35,50 €') && history.includes('20,00 €'), history.slice(0, 400));
  await audit('storico-pagamenti');

  await page.getByRole('link', { name: 'Cambia password' }).first().click();
  await audit('cambia-password');

  // Log out: the pages ask for a login again.
  await page.getByRole('button', { name: 'Esci' }).first().click();
  check('logout returns to the login page', new URL(page.url()).pathname === '/accesso');
  await audit('uscita');
  await go('/servizi/refezione/stato-contabile');
  check('after logout the account needs a login', new URL(page.url()).pathname === '/accesso');

  check('no JavaScript errors in the console', consoleErrors.length === 0, consoleErrors.join(' | '));
} catch (error) {
  check('the journey completes', false, `${error.message} (at ${page.url()})`);
  await page.screenshot({ path: join(shots, 'failure.png'), fullPage: true }).catch(() => {});
} finally {
  await browser.close();
}

writeFileSync(join(shots, 'index.json'), JSON.stringify(audited, null, 2));
console.log(`# screenshots: ${shots}`);
if (failures.length) console.log(`# failures:\n#   ${failures.join('\n#   ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
