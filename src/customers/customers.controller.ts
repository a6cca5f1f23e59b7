import { applyDecorators, Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminAuth } from '../auth/admin-auth.decorator';
import { ApiProblemResponses, fieldProblem, exampleOf } from '../http/api-problem-responses.decorator';
import { ProblemException } from '../http/problem.exception';
import { CurrentWriteContext } from '../auth/current-write-context.decorator';
import type { WriteContext } from '../http/request-context';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_MAX_LENGTH, IDEMPOTENCY_RETENTION_HOURS } from '../idempotency/idempotency.service';
import { Tier, TIER_POLICY, TIERS } from '../tiers/index';
import { etagFor, ifNoneMatchSatisfied } from './customer-etag';
import { CUSTOMER_ID_PROBLEM, CustomerIdParam, CustomerIdPipe } from './customer-id.pipe';
import { customerArchived, customerErased, customerNotArchived, externalIdTaken } from './customer.errors';
import { CustomerRepresentation, CustomersService, REFERENCE_CUSTOMER_ID } from './customers.service';
import { CreateCustomerDto } from './dto/create-customer.dto';
import { CustomerPageDto } from './dto/customer-page.dto';
import { CustomerResponseDto, toCustomerResponse } from './dto/customer-response.dto';
import { ListCustomersQueryDto, METADATA_FILTER_QUERY } from './dto/list-customers-query.dto';
import { UpdateCustomerDto } from './dto/update-customer.dto';

const CUSTOMER_BODY_PROBLEM = {
  detail: 'The request has 2 invalid fields: tierr, tier.',
  errors: [
    { field: 'tierr', message: 'tierr is not a field of this request; check its spelling' },
    { field: 'tier', message: `tier must be one of: ${TIERS.join(', ')}` },
  ],
};

const ARCHIVED_PROBLEM = exampleOf(customerArchived(REFERENCE_CUSTOMER_ID));
const ERASED_PROBLEM = exampleOf(customerErased(REFERENCE_CUSTOMER_ID));
const NOT_ARCHIVED_PROBLEM = exampleOf(customerNotArchived(REFERENCE_CUSTOMER_ID));
const EXTERNAL_ID_PROBLEM = exampleOf(externalIdTaken('crm-00042', '7d4f5b8e-2a61-4c3e-9f0d-1b2c3d4e5f60'));

const CREATED_CUSTOMER_EXAMPLE = {
  customer_id: '7d4f5b8e-2a61-4c3e-9f0d-1b2c3d4e5f60',
  company_name: 'Globex Payments',
  contact_email: 'ops@globex.example',
  tier: Tier.Growth,
  status: 'active',
  ...TIER_POLICY.standard(Tier.Growth),
  contract_start: null,
  contract_end: null,
  metadata: {},
  external_id: null,
  created_at: '2026-01-05T09:30:00Z',
  updated_at: '2026-01-05T09:30:00Z',
  archived_at: null,
  erased_at: null,
};

const ETAG_HEADER = {
  ETag: {
    description: "The customer's version as a strong entity tag; send it back in If-Match to update only that version",
    schema: { type: 'string', example: '"v3"' },
  },
};

/** The reference's response example (Acme Financial after the upgrade to scale), with this API's further fields. */
const UPDATED_CUSTOMER_EXAMPLE: CustomerResponseDto = {
  customer_id: REFERENCE_CUSTOMER_ID,
  company_name: 'Acme Financial',
  contact_email: 'compliance@acmefinancial.com',
  tier: Tier.Scale,
  status: 'active' as CustomerResponseDto['status'],
  ...TIER_POLICY.standard(Tier.Scale),
  contract_start: null,
  contract_end: null,
  metadata: {},
  external_id: null,
  created_at: '2026-01-05T09:30:00Z',
  updated_at: '2026-01-20T15:00:00Z',
  archived_at: null,
  erased_at: null,
};

@ApiTags('customers')
@AdminAuth()
@Controller('admin/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    operationId: 'createCustomer',
    summary: 'Create Customer',
    description:
      'Create a customer. company_name and contact_email are required; tier defaults to starter and status to active. ' +
      'The tier sets annual_commitment, annual_validation_limit and rate_limit from the tier table; ' +
      'a custom-tier customer must be created with all three.',
  })
  @ApiBody({
    type: CreateCustomerDto,
    examples: {
      standard: { summary: 'A growth customer', value: { company_name: 'Globex Payments', contact_email: 'ops@globex.example', tier: 'growth' } },
      custom: {
        summary: 'A custom-tier customer with negotiated values',
        value: {
          company_name: 'Initech Bank',
          contact_email: 'vendor-management@initech.example',
          tier: 'custom',
          annual_commitment: 2500000,
          annual_validation_limit: 250000000,
          rate_limit: { requests_per_second: 2500, burst: 5000 },
          contract_start: '2026-02-01',
          contract_end: '2027-01-31',
        },
      },
    },
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      `Up to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters. The first response to a key is stored for ${IDEMPOTENCY_RETENTION_HOURS} hours and replayed (with \`Idempotent-Replayed: true\`) for the same key and body; ` +
      'the same key with a different body is 422. Concurrent requests with one key create one customer.',
  })
  @ApiCreatedResponse({
    type: CustomerResponseDto,
    description: 'The created customer.',
    example: CREATED_CUSTOMER_EXAMPLE,
    headers: {
      ...ETAG_HEADER,
      'Idempotent-Replayed': { description: 'true when this is a stored response replayed for a repeated Idempotency-Key', schema: { type: 'string' } },
    },
  })
  @ApiProblemResponses([400, CUSTOMER_BODY_PROBLEM], 403, [409, EXTERNAL_ID_PROBLEM], 413, 415, 422)
  async create(
    @Body() dto: CreateCustomerDto,
    @CurrentWriteContext() context: WriteContext,
    @Headers(IDEMPOTENCY_KEY_HEADER) idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CustomerResponseDto> {
    if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > IDEMPOTENCY_KEY_MAX_LENGTH)) {
      throw ProblemException.field('Idempotency-Key', `Idempotency-Key must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`);
    }
    const created = await this.customers.create(dto, context, idempotencyKey);
    response.setHeader('ETag', created.etag);
    if (created.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return created.body;
  }

  @Get()
  @ApiOperation({
    operationId: 'listCustomers',
    summary: 'List Customers',
    description:
      'Customers newest first, filtered by tier, status, email (exact, case-insensitive), q (company name prefix, case-insensitive), ' +
      'creation time, external_id (exact) and metadata values; archived customers only with `archived=true` or `any`. Cursor pagination: pass `next_cursor` as `starting_after`; pages stay stable while customers are added.',
  })
  @ApiOkResponse({
    type: CustomerPageDto,
    example: { data: [UPDATED_CUSTOMER_EXAMPLE], has_more: true, next_cursor: 'YzE6NTUwZTg0MDAtZTI5Yi00MWQ0LWE3MTYtNDQ2NjU1NDQwMDAw' },
  })
  @ApiProblemResponses([
    400,
    fieldProblem('created_gte', 'created_gte must be an RFC 3339 date or date-time with a time zone, e.g. 2026-01-01 or 2026-01-01T00:00:00Z'),
  ])
  @ApiQuery(METADATA_FILTER_QUERY)
  list(@Query() query: ListCustomersQueryDto): Promise<CustomerPageDto> {
    return this.customers.list(query);
  }

  @Get(':customer_id')
  @ApiOperation({ operationId: 'getCustomer', summary: 'Get Customer', description: 'Retrieve a customer by id.' })
  @CustomerIdParam()
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier response: 304 with no body while the customer is unchanged' })
  @ApiOkResponse({ type: CustomerResponseDto, description: 'The customer.', example: UPDATED_CUSTOMER_EXAMPLE, headers: ETAG_HEADER })
  @ApiResponse({ status: 304, description: 'Not Modified: If-None-Match matches the current ETag.', headers: ETAG_HEADER })
  @ApiProblemResponses([400, CUSTOMER_ID_PROBLEM], 404)
  async findOne(
    @Param('customer_id', CustomerIdPipe) customerId: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CustomerResponseDto | undefined> {
    const customer = await this.customers.findOne(customerId);
    response.setHeader('ETag', etagFor(customer.version));
    if (ifNoneMatch !== undefined && ifNoneMatchSatisfied(ifNoneMatch, customer.version)) {
      response.status(HttpStatus.NOT_MODIFIED);
      return undefined;
    }
    return toCustomerResponse(customer);
  }

  @Put(':customer_id')
  @UpdateCustomerDocs('updateCustomer', 'Update Customer')
  async update(
    @Param('customer_id', CustomerIdPipe) customerId: string,
    @Body() dto: UpdateCustomerDto,
    @CurrentWriteContext() context: WriteContext,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CustomerResponseDto> {
    return withETag(response, await this.customers.update(customerId, dto, context, { ifMatch }));
  }

  @Delete(':customer_id')
  @ApiOperation({
    operationId: 'archiveCustomer',
    summary: 'Archive Customer',
    description:
      'Archives the customer (it is never destroyed): `archived_at` is set, it is left out of lists unless `archived=true` or `any`, stays readable with its events, ' +
      'and is read-only until restored. Emits `customer.archived`. Archiving an archived customer changes nothing (200, no event).',
  })
  @CustomerIdParam()
  @ApiOkResponse({
    type: CustomerResponseDto,
    description: 'The archived customer.',
    example: { ...UPDATED_CUSTOMER_EXAMPLE, archived_at: '2026-02-01T10:00:00Z' },
    headers: ETAG_HEADER,
  })
  @ApiProblemResponses([400, CUSTOMER_ID_PROBLEM], 403, 404)
  async archive(
    @Param('customer_id', CustomerIdPipe) customerId: string,
    @CurrentWriteContext() context: WriteContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CustomerResponseDto> {
    return withETag(response, await this.customers.archive(customerId, context));
  }

  @Post(':customer_id/restore')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'restoreCustomer',
    summary: 'Restore Customer',
    description:
      'Undoes an archive: `archived_at` becomes null and the customer can be changed again. Emits `customer.restored`. ' +
      'Restoring a customer that is not archived changes nothing (200, no event); an erased customer cannot be restored (409).',
  })
  @CustomerIdParam()
  @ApiOkResponse({ type: CustomerResponseDto, description: 'The restored customer.', example: UPDATED_CUSTOMER_EXAMPLE, headers: ETAG_HEADER })
  @ApiProblemResponses([400, CUSTOMER_ID_PROBLEM], 403, 404, [409, ERASED_PROBLEM])
  async restore(
    @Param('customer_id', CustomerIdPipe) customerId: string,
    @CurrentWriteContext() context: WriteContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CustomerResponseDto> {
    return withETag(response, await this.customers.restore(customerId, context));
  }

  @Post(':customer_id/erase')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'eraseCustomer',
    summary: 'Erase Customer',
    description:
      "Erases an archived customer's personal data, irreversibly: `company_name` becomes `Erased customer`, `contact_email` `erased+{customer_id}@erased.invalid`, " +
      '`metadata` `{}`, `external_id` null, and `erased_at` is set; the same values replace them in its stored events and idempotent responses. ' +
      'Emits `customer.erased` (without personal data). Only an archived customer can be erased (409 otherwise); erasing an erased customer changes nothing.',
  })
  @CustomerIdParam()
  @ApiOkResponse({
    type: CustomerResponseDto,
    description: 'The erased customer.',
    example: {
      ...UPDATED_CUSTOMER_EXAMPLE,
      company_name: 'Erased customer',
      contact_email: `erased+${REFERENCE_CUSTOMER_ID}@erased.invalid`,
      archived_at: '2026-02-01T10:00:00Z',
      erased_at: '2026-02-02T10:00:00Z',
    },
    headers: ETAG_HEADER,
  })
  @ApiProblemResponses([400, CUSTOMER_ID_PROBLEM], 403, 404, [409, NOT_ARCHIVED_PROBLEM])
  async erase(
    @Param('customer_id', CustomerIdPipe) customerId: string,
    @CurrentWriteContext() context: WriteContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CustomerResponseDto> {
    return withETag(response, await this.customers.erase(customerId, context));
  }

  @Patch(':customer_id')
  @UpdateCustomerDocs(
    'patchCustomer',
    'Update Customer (PATCH)',
    'The same partial update as `PUT /admin/customers/{customer_id}`, for clients that send changes with PATCH: `application/merge-patch+json` (RFC 7396) or `application/json`, the same rules, responses and events.\n\n',
  )
  patch(
    @Param('customer_id', CustomerIdPipe) customerId: string,
    @Body() dto: UpdateCustomerDto,
    @CurrentWriteContext() context: WriteContext,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CustomerResponseDto> {
    return this.update(customerId, dto, context, ifMatch, response);
  }
}

/** The documentation PUT and PATCH share: one partial update. */
function UpdateCustomerDocs(operationId: string, summary: string, preface = ''): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      operationId,
      summary,
      description:
        preface +
        'Update customer information including tier, status, and contract details.\n\n' +
        'Tier changes take effect immediately. Rate limits will be updated to match the new tier.\n\n' +
        'All fields are optional. Only provided fields will be updated; `{}` changes nothing, and `updated_at` moves only when something changed. ' +
        'annual_commitment, annual_validation_limit and rate_limit may be sent only when the resulting tier is custom.',
    }),
    CustomerIdParam(),
    ApiBody({
      type: UpdateCustomerDto,
      required: false,
      description: 'All fields are optional. Only provided fields will be updated.',
      examples: {
        upgradeTier: { summary: 'Upgrade Tier', value: { tier: 'scale' } },
        suspendCustomer: { summary: 'Suspend Customer', value: { status: 'suspended' } },
        reactivateCustomer: { summary: 'Reactivate Customer', value: { status: 'active' } },
        allFields: {
          summary: 'Every field',
          value: {
            company_name: 'Acme Financial',
            contact_email: 'compliance@acmefinancial.com',
            tier: 'scale',
            status: 'active',
            contract_start: '2026-01-01',
            contract_end: '2026-12-31',
            metadata: { account_manager: 'j.doe' },
          },
        },
      },
    }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description:
        'An ETag from an earlier response: the update is applied only if the customer is still at that version, otherwise 412 and nothing is written',
    }),
    ApiOkResponse({ type: CustomerResponseDto, description: 'Returns the updated customer object.', example: UPDATED_CUSTOMER_EXAMPLE, headers: ETAG_HEADER }),
    ApiProblemResponses([400, CUSTOMER_BODY_PROBLEM], 403, 404, [409, ARCHIVED_PROBLEM], 412, 413, 415),
  );
}

/** Sends the customer's ETag with its body. */
function withETag(response: Response, { body, etag }: CustomerRepresentation): CustomerResponseDto {
  response.setHeader('ETag', etag);
  return body;
}
