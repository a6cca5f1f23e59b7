import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../auth/admin-auth.decorator';
import { ApiProblemResponses } from '../common/api-problem-responses.decorator';
import { ProblemException } from '../common/problem.exception';
import { CustomersService, REFERENCE_CUSTOMER_ID } from './customers.service';
import { CreateCustomerDto } from './dto/create-customer.dto';
import { CustomerResponseDto, toCustomerResponse } from './dto/customer-response.dto';
import { UpdateCustomerDto } from './dto/update-customer.dto';

const CustomerIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => ProblemException.field('customer_id', 'customer_id must be a UUID, e.g. 550e8400-e29b-41d4-a716-446655440000'),
});

const CustomerIdParam = () =>
  ApiParam({ name: 'customer_id', description: 'Customer UUID', format: 'uuid', example: REFERENCE_CUSTOMER_ID });

/** The reference's response example (Acme Financial after the upgrade to scale), with this API's further fields. */
const UPDATED_CUSTOMER_EXAMPLE: CustomerResponseDto = {
  customer_id: REFERENCE_CUSTOMER_ID,
  company_name: 'Acme Financial',
  contact_email: 'compliance@acmefinancial.com',
  tier: 'scale' as CustomerResponseDto['tier'],
  status: 'active' as CustomerResponseDto['status'],
  annual_commitment: 500000,
  annual_validation_limit: 30000000,
  rate_limit: { requests_per_second: 200, burst: 400 },
  contract_start: null,
  contract_end: null,
  metadata: {},
  created_at: '2026-01-05T09:30:00Z',
  updated_at: '2026-01-20T15:00:00Z',
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
  @ApiCreatedResponse({ type: CustomerResponseDto, description: 'The created customer.' })
  @ApiProblemResponses(400)
  async create(@Body() dto: CreateCustomerDto): Promise<CustomerResponseDto> {
    return toCustomerResponse(await this.customers.create(dto));
  }

  @Get(':customer_id')
  @ApiOperation({ operationId: 'getCustomer', summary: 'Get Customer', description: 'Retrieve a customer by id.' })
  @CustomerIdParam()
  @ApiOkResponse({ type: CustomerResponseDto, description: 'The customer.', example: UPDATED_CUSTOMER_EXAMPLE })
  @ApiProblemResponses(400, 404)
  async findOne(@Param('customer_id', CustomerIdPipe) customerId: string): Promise<CustomerResponseDto> {
    return toCustomerResponse(await this.customers.findOne(customerId));
  }

  @Put(':customer_id')
  @ApiOperation({
    operationId: 'updateCustomer',
    summary: 'Update Customer',
    description:
      'Update customer information including tier, status, and contract details.\n\n' +
      'Tier changes take effect immediately. Rate limits will be updated to match the new tier.\n\n' +
      'All fields are optional. Only provided fields will be updated; `{}` changes nothing, and `updated_at` moves only when something changed. ' +
      'annual_commitment, annual_validation_limit and rate_limit may be sent only when the resulting tier is custom.',
  })
  @CustomerIdParam()
  @ApiBody({
    type: UpdateCustomerDto,
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
  })
  @ApiOkResponse({ type: CustomerResponseDto, description: 'Returns the updated customer object.', example: UPDATED_CUSTOMER_EXAMPLE })
  @ApiProblemResponses(400, 404)
  async update(
    @Param('customer_id', CustomerIdPipe) customerId: string,
    @Body() dto: UpdateCustomerDto,
  ): Promise<CustomerResponseDto> {
    return toCustomerResponse(await this.customers.update(customerId, dto));
  }
}
