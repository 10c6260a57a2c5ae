import { BadRequestException, NotFoundException, PayloadTooLargeException, UnauthorizedException } from '@nestjs/common';
import { httpErrorBody } from './http-error.filter';

describe('httpErrorBody', () => {
  it("keeps a service's own code, message and problems", () => {
    const error = new BadRequestException({ code: 'INVALID_REQUEST', message: 'The request is invalid', problems: ['page must be a whole number'] });
    expect(httpErrorBody(400, error.getResponse(), error.message)).toEqual({ code: 'INVALID_REQUEST', message: 'The request is invalid', problems: ['page must be a whole number'] });
  });

  it("gives Nest's own errors (an unknown route, a body too large, a guard) a code from their status and an empty problem list", () => {
    const notFound = new NotFoundException('Cannot GET /v1/nowhere');
    expect(httpErrorBody(404, notFound.getResponse(), notFound.message)).toEqual({ code: 'NOT_FOUND', message: 'Cannot GET /v1/nowhere', problems: [] });
    const tooLarge = new PayloadTooLargeException();
    expect(httpErrorBody(413, tooLarge.getResponse(), tooLarge.message)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', problems: [] });
    const unauthorised = new UnauthorizedException();
    expect(httpErrorBody(401, unauthorised.getResponse(), unauthorised.message)).toMatchObject({ code: 'UNAUTHENTICATED', problems: [] });
  });

  it("turns a validation pipe's list of messages into problems", () => {
    const error = new BadRequestException(['name must be a string', 'page must be positive']);
    expect(httpErrorBody(400, error.getResponse(), error.message)).toEqual({ code: 'BAD_REQUEST', message: 'The request is invalid', problems: ['name must be a string', 'page must be positive'] });
  });
});
