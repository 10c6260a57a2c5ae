import fs from 'node:fs';
import path from 'node:path';
import { eventCatalogueTable, payloadFields } from './catalogue-table';
import { InvoiceRequestedPayload } from './events/document.events';

describe('the event catalogue', () => {
  it('in the README is the one generated from the contracts', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
    const match = /<!-- event-catalogue:start -->\n([\s\S]*?)\n<!-- event-catalogue:end -->/.exec(readme);
    expect(match?.[1]).toBe(eventCatalogueTable());
  });

  it('lists inherited payload fields too', () => {
    expect(payloadFields(InvoiceRequestedPayload)).toEqual(expect.arrayContaining(['requestId', 'lineItems', 'dueDate', 'status']));
  });
});
