import { matchAssignee, missingTasks, projectDraft, projectStatusFor, projectUpdate, tasksFromTemplate, templateProblems, TemplateTask } from './project-sync';

const CONTACT = '7a6f0e4c-2b1d-4c3e-9f8a-1b2c3d4e5f60';
const task = (overrides: Partial<TemplateTask> = {}): TemplateTask => ({ name: 'Bookkeeping', rate: '95.00', chargeType: 'TIME', estimateMinutes: 120, ...overrides });

describe('projectStatusFor', () => {
  it('keeps a job in progress open and closes a completed or cancelled one', () => {
    expect(projectStatusFor('in_progress')).toBe('INPROGRESS');
    expect(projectStatusFor('completed')).toBe('CLOSED');
    expect(projectStatusFor('cancelled')).toBe('CLOSED');
  });
});

describe('projectDraft', () => {
  it("takes the job's name, deadline (UTC, whole seconds) and estimate with the client's contact", () => {
    expect(projectDraft({ name: 'Year-end accounts', deadline: '2026-06-30T17:00:00.000+12:00', estimateAmount: '1500.50' }, CONTACT)).toEqual({
      ok: true,
      project: { contactId: CONTACT, name: 'Year-end accounts', deadlineUtc: '2026-06-30T05:00:00Z', estimateAmount: 1500.5 },
    });
    expect(projectDraft({ name: 'GST return' }, CONTACT)).toEqual({ ok: true, project: { contactId: CONTACT, name: 'GST return' } });
  });

  it('refuses an estimate Xero cannot keep exactly', () => {
    expect(projectDraft({ name: 'x', estimateAmount: '10.005' }, CONTACT)).toEqual({ ok: false, problems: ['estimateAmount must have at most 2 decimal places (Xero keeps 2)'] });
    expect(projectDraft({ name: 'x', estimateAmount: '12345678901234567.5' }, CONTACT)).toMatchObject({ ok: false });
  });
});

describe('task templates', () => {
  it("become the Projects API's tasks", () => {
    expect(tasksFromTemplate([task(), task({ name: 'Filing fee', rate: '150', chargeType: 'FIXED', estimateMinutes: undefined })])).toEqual({
      ok: true,
      tasks: [
        { name: 'Bookkeeping', rate: 95, chargeType: 'TIME', estimateMinutes: 120 },
        { name: 'Filing fee', rate: 150, chargeType: 'FIXED' },
      ],
    });
  });

  it('name every task once and rates Xero can keep', () => {
    expect(templateProblems([task(), task({ name: ' bookkeeping ' }), task({ name: 'Advice', rate: '1.234' })])).toEqual([
      'tasks[1].name: " bookkeeping " appears more than once (a project\'s tasks are told apart by name)',
      'tasks[2].rate: 1.234 has more than 2 decimal places (Xero keeps 2)',
    ]);
    expect(templateProblems([task()])).toEqual([]);
  });
});

describe('projectUpdate', () => {
  const wanted = { contactId: CONTACT, name: 'Year-end accounts', deadlineUtc: '2026-06-30T05:00:00Z', estimateAmount: 1500 };

  it('is null when Xero already holds the job as it is', () => {
    expect(projectUpdate({ contactId: CONTACT.toUpperCase(), name: 'Year-end accounts', deadlineUtc: '2026-06-30T05:00:00.000Z', estimateAmount: 1500 }, wanted)).toBeNull();
  });

  it('sends the whole draft when any field differs', () => {
    expect(projectUpdate({ contactId: CONTACT, name: 'Year end', deadlineUtc: '2026-06-30T05:00:00Z', estimateAmount: 1500 }, wanted)).toEqual(wanted);
    expect(projectUpdate({ contactId: CONTACT, name: 'Year-end accounts', deadlineUtc: '2026-07-31T05:00:00Z', estimateAmount: 1500 }, wanted)).toEqual(wanted);
    expect(projectUpdate({ contactId: CONTACT, name: 'Year-end accounts', deadlineUtc: '2026-06-30T05:00:00Z', estimateAmount: 900 }, wanted)).toEqual(wanted);
  });

  it('leaves a deadline or estimate the job does not give as Xero has it', () => {
    expect(projectUpdate({ contactId: CONTACT, name: 'GST return', deadlineUtc: '2026-06-30T05:00:00Z', estimateAmount: 10 }, { contactId: CONTACT, name: 'GST return' })).toBeNull();
  });
});

describe('missingTasks', () => {
  it('adds only the tasks the project lacks, by name', () => {
    const wanted = [
      { name: 'Bookkeeping', rate: 95, chargeType: 'TIME' as const },
      { name: 'Filing fee', rate: 150, chargeType: 'FIXED' as const },
    ];
    expect(missingTasks(['bookkeeping '], wanted)).toEqual([wanted[1]]);
    expect(missingTasks(['Bookkeeping', 'Filing fee', 'Extra'], wanted)).toEqual([]);
  });
});

describe('matchAssignee', () => {
  const users = [
    { userId: 'u-1', name: 'Sidney Allen', email: 'Sidney@Practice.test' },
    { userId: 'u-2', name: 'Ana Ruiz', email: 'ana@practice.test' },
    { userId: 'u-3', name: 'Ana (old)', email: 'ana@practice.test' },
  ];

  it('matches by email, whatever its case', () => {
    expect(matchAssignee(users, ' sidney@practice.TEST')).toEqual(users[0]);
  });

  it('leaves an assignee unmatched when no one, or more than one user, has the email', () => {
    expect(matchAssignee(users, 'nobody@practice.test')).toBeUndefined();
    expect(matchAssignee(users, 'ana@practice.test')).toBeUndefined();
  });
});
