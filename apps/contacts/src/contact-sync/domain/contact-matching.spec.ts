import { chooseMatch, ContactCandidate, describeAmbiguity, MatchTarget } from './contact-matching';

const target: MatchTarget = { clientId: 'C-1', name: 'Aroha Builders', email: 'accounts@aroha.test' };
const none = new Set<string>();
const contact = (id: string, fields: Partial<ContactCandidate> = {}): ContactCandidate => ({ contactId: id, name: `Contact ${id}`, status: 'ACTIVE', ...fields });

describe('chooseMatch', () => {
  it('finds nothing among no candidates', () => {
    expect(chooseMatch(target, [], none)).toEqual({ kind: 'none' });
  });

  it('matches by email address, ignoring case and spaces', () => {
    const byEmail = contact('a', { emailAddress: ' Accounts@Aroha.TEST ' });
    expect(chooseMatch(target, [contact('b'), byEmail], none)).toEqual({ kind: 'match', contact: byEmail, by: 'email' });
  });

  it('matches by name when no contact has the email address', () => {
    const byName = contact('a', { name: 'aroha builders', emailAddress: 'other@aroha.test' });
    expect(chooseMatch(target, [byName], none)).toEqual({ kind: 'match', contact: byName, by: 'name' });
  });

  it('prefers the email match over a different contact with the same name', () => {
    const byName = contact('n', { name: 'Aroha Builders' });
    const byEmail = contact('e', { name: 'Aroha Accounts', emailAddress: 'accounts@aroha.test' });
    expect(chooseMatch(target, [byName, byEmail], none)).toMatchObject({ kind: 'match', contact: byEmail, by: 'email' });
  });

  it('prefers the contact that already carries the client id as its number (created earlier, answer lost)', () => {
    const ours = contact('ours', { contactNumber: 'C-1', name: 'Renamed in Xero' });
    const byEmail = contact('e', { emailAddress: 'accounts@aroha.test' });
    expect(chooseMatch(target, [byEmail, ours], none)).toEqual({ kind: 'match', contact: ours, by: 'contactNumber' });
  });

  it('uses the name to choose between several contacts sharing the email address', () => {
    const right = contact('r', { name: 'Aroha Builders', emailAddress: 'accounts@aroha.test' });
    const other = contact('o', { name: 'Aroha Holdings', emailAddress: 'accounts@aroha.test' });
    expect(chooseMatch(target, [other, right], none)).toEqual({ kind: 'match', contact: right, by: 'email' });
  });

  it('reports several contacts sharing the email address and none with the name as ambiguous', () => {
    const one = contact('1', { name: 'Aroha Holdings', emailAddress: 'accounts@aroha.test' });
    const two = contact('2', { name: 'Aroha Trust', emailAddress: 'accounts@aroha.test' });
    const decision = chooseMatch(target, [one, two], none);
    expect(decision).toEqual({ kind: 'ambiguous', by: 'email', contacts: [one, two] });
    expect(describeAmbiguity(decision as Extract<typeof decision, { kind: 'ambiguous' }>)).toEqual([
      "2 Xero contacts share this client's email address; link one of them or make them distinct in Xero",
      'Aroha Holdings (1)',
      'Aroha Trust (2)',
    ]);
  });

  it('never links a contact already linked to another client of the company', () => {
    const taken = contact('Taken-ID', { emailAddress: 'accounts@aroha.test', name: 'Aroha Builders' });
    expect(chooseMatch(target, [taken], new Set(['taken-id']))).toEqual({ kind: 'none' });
  });

  it('never links a contact whose number belongs to another external record', () => {
    const numbered = contact('x', { emailAddress: 'accounts@aroha.test', contactNumber: 'C-2' });
    expect(chooseMatch(target, [numbered], none)).toEqual({ kind: 'none' });
  });

  it('never links an archived contact', () => {
    const archived = contact('x', { emailAddress: 'accounts@aroha.test', status: 'ARCHIVED' });
    expect(chooseMatch(target, [archived], none)).toEqual({ kind: 'none' });
  });

  it('does not match on an email the client does not have', () => {
    const blankEmail = contact('x', { emailAddress: '' });
    expect(chooseMatch({ clientId: 'C-1', name: 'Aroha Builders' }, [blankEmail], none)).toEqual({ kind: 'none' });
  });

  it('does not treat a similar name as the same', () => {
    expect(chooseMatch(target, [contact('x', { name: 'Aroha Builders Ltd' })], none)).toEqual({ kind: 'none' });
  });
});
