/**
 * The modeler keeps the user's work: New, Open… and a deployed version ask before they discard
 * changes that were neither downloaded nor deployed, Undo in the status line brings a replaced
 * diagram back, and a file that cannot be read is refused with where and why, leaving the open
 * diagram alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { deploy, EXAMPLE, expect, fixturePath, ROOT, test } from './support.ts';

const APPROVAL = join(ROOT, 'processes', 'order-approval.bpmn');

/** Opens order-approval.bpmn and renames "Check stock" in the properties panel: an unsaved change. */
async function openAndRename(page: Page): Promise<void> {
  await page.goto('/modeler.html');
  await expect(page.locator('#canvas .djs-container')).toBeVisible();
  await page.setInputFiles('#open-file', APPROVAL);
  await expect(page.locator('#status')).toContainText('Opened order-approval.bpmn');
  await page.locator('.djs-element.djs-shape[data-element-id="Task_CheckStock"]').click();
  const name = page.locator('#bio-properties-panel-name');
  if (!(await name.isVisible()))
    await page.locator('.bio-properties-panel-group-header', { hasText: 'General' }).click();
  await name.fill('Check the stock');
  await name.press('Tab');
  await expect(task(page)).toContainText('Check the stock');
}

function task(page: Page) {
  return page.locator('.djs-element.djs-shape[data-element-id="Task_CheckStock"]');
}

const dialog = (page: Page) => page.locator('dialog.modal');

test('New and Open… ask before discarding unsaved changes, and Undo brings the diagram back', async ({ page }) => {
  // given a diagram with a change that was neither downloaded nor deployed
  await openAndRename(page);

  // when New is pressed, then it asks; Cancel keeps the diagram as it is
  await page.locator('#new-diagram').click();
  await expect(dialog(page).locator('h2')).toHaveText('Discard the changes to order-approval.bpmn?');
  await dialog(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(page.locator('#status')).toContainText('Kept order-approval.bpmn; diagram.bpmn was not opened.');
  await expect(task(page)).toContainText('Check the stock');

  // when another file is opened, it asks too; agreeing replaces the diagram
  await page.setInputFiles('#open-file', EXAMPLE);
  await expect(dialog(page)).toBeVisible();
  await dialog(page).locator('[data-confirm]').click();
  await expect(page.locator('#status')).toContainText('Opened order-fulfilment.bpmn.');
  await expect(task(page)).toHaveCount(0);

  // then Undo brings the replaced diagram back, change and all, still unsaved
  await page.locator('#undo-replace').click();
  await expect(dialog(page)).toHaveCount(0); // order-fulfilment had no changes of its own
  await expect(task(page)).toContainText('Check the stock');
  await page.locator('#new-diagram').click();
  await expect(dialog(page)).toBeVisible();
  await dialog(page).getByRole('button', { name: 'Cancel' }).click();

  // once downloaded, the diagram is saved: New replaces it without asking
  const download = page.waitForEvent('download');
  await page.locator('#download').click();
  expect((await download).suggestedFilename()).toBe('order-approval.bpmn');
  await page.locator('#new-diagram').click();
  await expect(page.locator('#status')).toContainText('Opened diagram.bpmn.');
  await expect(dialog(page)).toHaveCount(0);
  await expect(page.locator('#undo-replace')).toHaveCount(0); // nothing unsaved was lost
  await expect(task(page)).toHaveCount(0);
});

test('unsaved changes survive a reload, and opening a deployed version asks first', async ({ page, request }) => {
  // given a deployed process, and a diagram with an unsaved change
  await deploy(request, readFileSync(fixturePath('payment.bpmn'), 'utf8'));
  await openAndRename(page);
  // when the page is reloaded, then the change is back and still counts as unsaved
  await page.reload();
  await expect(page.locator('#status')).toContainText(
    'Restored your last diagram (order-approval.bpmn, with unsaved changes)',
  );
  await expect(task(page)).toContainText('Check the stock');
  // when a deployed version is chosen, it asks; Cancel keeps the diagram and leaves the address
  await page.locator('#deployed-select').selectOption('payment/1');
  await expect(dialog(page)).toBeVisible();
  await dialog(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(task(page)).toContainText('Check the stock');
  await expect(page).not.toHaveURL(/#\/edit\//);
  // a deployment counts as saved: after it, the deployed version opens without asking
  await page.locator('#deploy').click();
  await expect(page.locator('#status')).toContainText('Deployed order-approval version');
  await page.locator('#deployed-select').selectOption('payment/1');
  await expect(page.locator('#status')).toContainText('Editing payment version 1');
  await expect(dialog(page)).toHaveCount(0);
});

test('a truncated file is refused with where it ends; the open diagram stays', async ({ page }) => {
  // given order-approval.bpmn open, and a copy of it cut short after a label's start tag
  await page.goto('/modeler.html');
  await page.setInputFiles('#open-file', APPROVAL);
  await expect(page.locator('#status')).toContainText('Opened order-approval.bpmn');
  const full = readFileSync(APPROVAL, 'utf8');
  const cut = full.slice(0, full.indexOf('<bpmndi:BPMNLabel>') + '<bpmndi:BPMNLabel>'.length);
  const lines = cut.split('\n');
  // when the cut copy is opened
  await page.setInputFiles('#open-file', { name: 'cut.bpmn', mimeType: 'application/xml', buffer: Buffer.from(cut) });
  // then the status line says it is cut short, at its last line, naming the open element
  await expect(page.locator('#status')).toHaveText(
    `Could not open cut.bpmn: Expected the XML to go on and close <bpmndi:BPMNLabel> (and 4 elements around it, ` +
      `up to <bpmn:definitions>), but it ends at line ${lines.length}, column ${lines.at(-1)!.length + 1}: the file looks cut short`,
  );
  await expect(page.locator('#status')).toHaveClass(/status-error/);
  await expect(task(page)).toBeVisible();
  // and a well-formed file that is not BPMN is refused naming its root element
  await page.setInputFiles('#open-file', {
    name: 'page.html',
    mimeType: 'application/xml',
    buffer: Buffer.from('<?xml version="1.0"?>\n<html><body/></html>'),
  });
  await expect(page.locator('#status')).toHaveText(
    'Could not open page.html: Expected a <bpmn:definitions> document (namespace http://www.omg.org/spec/BPMN/20100524/MODEL), but the root element is <html>',
  );
  await expect(task(page)).toBeVisible();
});
