import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const p = await b.newPage();
p.on('pageerror', (e) => console.log('PAGEERROR', e.stack));
p.on('console', (m) => m.type() === 'error' && console.log('CONSOLE', m.text()));
await p.goto('http://127.0.0.1:18990/' + (process.argv[2] ?? 'decision.html'));
await p.waitForTimeout(2000);
await p.screenshot({ path: '/tmp/dbg.png' });
await b.close();
