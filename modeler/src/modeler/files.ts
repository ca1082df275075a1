/** Opening files (picker and drag-and-drop) and downloading the document, for every editor. */

/** Calls `onFile` with the text and name of the file dropped on `target`. */
export function acceptDrops(target: HTMLElement, onFile: (xml: string, name: string) => void): void {
  target.addEventListener('dragover', (e) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    target.classList.add('drop-target');
  });
  target.addEventListener('dragleave', () => target.classList.remove('drop-target'));
  target.addEventListener('drop', (e) => {
    target.classList.remove('drop-target');
    const file = e.dataTransfer?.files[0];
    if (!file) return;
    e.preventDefault();
    void file.text().then((text) => onFile(text, file.name));
  });
}

/**
 * A hidden file input that calls `onFile` with the chosen file; click it to open the picker.
 * `accept` is what the picker offers (BPMN files by default).
 */
export function filePicker(
  onFile: (xml: string, name: string) => void,
  accept = '.bpmn,.xml,application/xml,text/xml',
): HTMLInputElement {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = accept;
  input.id = 'open-file';
  input.hidden = true;
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) void file.text().then((text) => onFile(text, file.name));
    input.value = '';
  });
  return input;
}

/** Offers `text` as a download named `name`. */
export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/xml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file read as text. */
export interface TextFile {
  name: string;
  text: string;
}

/**
 * A hidden file input that may take several files at once and calls `onFiles` with all of them;
 * click it to open the picker.
 */
export function filesPicker(onFiles: (files: TextFile[]) => void, accept: string): HTMLInputElement {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = accept;
  input.multiple = true;
  input.id = 'open-file';
  input.hidden = true;
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length) void Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() }))).then(onFiles);
  });
  return input;
}
