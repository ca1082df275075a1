/**
 * The decision and form editors handle files like the process modeler: Open… reads a Camunda
 * Modeler .dmn or .form file (a DMN with its requirements diagram opens there, each decision a tab),
 * Download gives it back under its name, unsaved changes are asked about before New discards them,
 * and a file that is not what the editor reads is refused, leaving the open document alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, fixturePath, ROOT, test } from './support.ts';

const example = (name: string) => join(ROOT, 'processes', name);

test('the decision editor opens, downloads and keeps a .dmn file', async ({ page }) => {
  await page.goto('/decision.html');
  await expect(page.locator('#status')).toContainText(/New decision|Restored/);
  await page.setInputFiles('#open-file', example('loan-risk.dmn'));
  const discard = page.locator('dialog.modal button[data-confirm]');
  if (await discard.isVisible()) await discard.click();
  await expect(page.locator('#status')).toContainText('Opened loan-risk.dmn');
  const tabs = page.locator('#dmn-views button');
  await expect(tabs).toHaveText([
    'Diagram',
    /Loan offer/,
    /Risk class/,
    /Credit band/,
    /Debt ratio · literal expression/,
  ]);
  await expect(page.locator('#dmn-views button[data-view="drd"]')).toHaveClass(/active/);
  await page.locator('#dmn-views button[data-element-id="debtRatio"]').click();
  await expect(page.locator('.dmn-literal-expression-container')).toContainText('applicant.monthlyDebts');

  const download = page.waitForEvent('download');
  await page.locator('#download').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('loan-risk.dmn');
  expect(readFileSync((await file.path())!, 'utf8')).toContain('<decision id="riskClass" name="Risk class">');

  await test.step('a file that is not DMN is refused; the open one stays', async () => {
    await page.setInputFiles('#open-file', fixturePath('order-review.form'));
    await expect(page.locator('#status')).toContainText('Could not open order-review.form');
    await expect(tabs).toHaveCount(5);
  });
});

test('the form editor opens a Camunda Modeler .form file and asks before New discards a change', async ({ page }) => {
  await page.goto('/form.html');
  await expect(page.locator('#status')).toContainText(/New form|Restored/);
  await page.setInputFiles('#open-file', example('underwriter-review.form'));
  const dialog = page.locator('dialog.modal');
  if (await dialog.isVisible()) await dialog.locator('button[data-confirm]').click();
  await expect(page.locator('#status')).toContainText('Opened underwriter-review.form');
  await expect(page.locator('.fjs-editor-container')).toContainText('Approve the loan');

  // a change: the Reason field is deleted
  await page.locator('.fjs-editor-container .fjs-form-field-textarea').click();
  await page.locator('.fjs-editor-container button.fjs-context-pad-item[title^="Remove"]').click();
  await expect(page.locator('.fjs-editor-container .fjs-form-field-textarea')).toHaveCount(0);
  await page.locator('#new-document').click();
  await expect(dialog.locator('h2')).toHaveText('Discard the changes to underwriter-review.form?');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('#status')).toContainText('Kept underwriter-review.form');
  await expect(page.locator('.fjs-editor-container')).toContainText('Approve the loan');

  await test.step('a file that is not a form is refused', async () => {
    await page.setInputFiles('#open-file', example('loan-risk.dmn'));
    if (await dialog.isVisible()) await dialog.locator('button[data-confirm]').click();
    await expect(page.locator('#status')).toContainText('Could not open loan-risk.dmn: it is not JSON');
    await expect(page.locator('.fjs-editor-container')).toContainText('Approve the loan');
  });
});
