/**
 * With access control on (`baton serve --auth`), the app asks for a bearer token on the first 401,
 * says so when a token is refused and asks again, and keeps the accepted one (the actor recorded
 * with the token is checked by test/server/auth.test.ts).
 */
import { AUTH_PORT } from './playwright.config.ts';
import { expect, test } from './support.ts';

const TOKEN = 'browser-test-operator-token-0001';
const base = `http://127.0.0.1:${AUTH_PORT}`;

// Chromium logs every refused fetch as a console error: these 401s are the point of the test.
test.use({ allowConsoleErrors: [/401 \(Unauthorized\)/] });

test('the app asks for a token, refuses a wrong one, and works with the right one', async ({ page, request }) => {
  // given a server that needs a token, with one process deployed by a modeler
  const xml = `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="t"><bpmn:process id="guarded" name="Guarded" isExecutable="true"><bpmn:startEvent id="S"/><bpmn:endEvent id="E"/><bpmn:sequenceFlow id="f" sourceRef="S" targetRef="E"/></bpmn:process></bpmn:definitions>`;
  const denied = await request.post(`${base}/api/deployments`, {
    data: xml,
    headers: { 'content-type': 'application/xml' },
  });
  expect(denied.status()).toBe(401);
  const deployed = await request.post(`${base}/api/deployments`, {
    data: xml,
    headers: { 'content-type': 'application/xml', authorization: `Bearer ${TOKEN}` },
  });
  expect(deployed.status()).toBe(201);

  // when the console opens, then it asks for a token
  await page.goto(`${base}/#/processes`);
  const input = page.locator('#token-input');
  await expect(input).toBeVisible();
  // when a wrong token is given, then the dialog says it was refused
  await input.fill('not-the-right-token-at-all');
  await input.press('Enter');
  await expect(page.getByText('That access token was refused')).toBeVisible();
  // when the right one is given, then the page shows the process, and a reload does not ask again
  await page.locator('#token-input').fill(TOKEN);
  await page.locator('#token-input').press('Enter');
  await expect(page.locator('#definitions tr[data-process="guarded"]')).toBeVisible();
  await page.reload();
  await expect(page.locator('#definitions tr[data-process="guarded"]')).toBeVisible();
  await expect(page.locator('#token-input')).toHaveCount(0);
});
