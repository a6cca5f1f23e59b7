import { ApiProperty, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'ProblemFieldError' })
export class ProblemFieldErrorDto {
  /** The request field at fault, as a dotted path (e.g. `tier`, `metadata.region`, `rate_limit.burst`, `customer_id`). */
  @ApiProperty({ example: 'tier' })
  field: string;

  /** What is wrong with it and what is allowed. */
  @ApiProperty({ example: 'tier must be one of: starter, growth, scale, enterprise, custom' })
  message: string;
}

/** RFC 9457 problem details: the body of every 4xx and 5xx response, served as `application/problem+json`. */
@ApiSchema({ name: 'Problem' })
export class ProblemDetailsDto {
  /** A URI reference naming the problem type. */
  @ApiProperty({ example: '/problems/validation-failed', description: 'A page at this path says what the problem means and how to fix it' })
  type: string;

  /** A short summary of the problem type. */
  @ApiProperty({ example: 'Validation failed' })
  title: string;

  /** The HTTP status code. */
  @ApiProperty({ example: 400 })
  status: number;

  /** What went wrong in this occurrence. */
  @ApiProperty({ example: 'The request has 1 invalid field.' })
  detail: string;

  /** The request path. */
  @ApiProperty({ example: '/admin/customers/550e8400-e29b-41d4-a716-446655440000' })
  instance: string;

  /** Every invalid field at once (empty when the problem is not about fields). */
  @ApiProperty({ type: [ProblemFieldErrorDto] })
  errors: ProblemFieldErrorDto[];

  /** The request's x-request-id (also a response header): quote it when reporting a problem. */
  @ApiProperty({ type: String, nullable: true, example: '8c0f0a53-3c43-4a53-9a43-0e3f4b1c2d5e' })
  request_id: string | null;
}
