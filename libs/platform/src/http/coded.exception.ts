/**
 * A failure with a string code that survives serialisation. Features throw these; only the HTTP edge
 * (`CodedExceptionFilter`, given the service's code → status map) decides the status.
 * Messages and problems never carry tokens or secrets.
 */
export abstract class CodedException<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    /** Every problem with the request, for a 400 that lists them all. */
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}
