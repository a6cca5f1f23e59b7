import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { REPLAY_MAX_EVENTS, ReplayWebhookEndpointDto, WebhookReplayResponseDto } from './dto/replay-webhook-endpoint.dto';
import { ApiAcceptedResponse, ApiBody, ApiCreatedResponse, ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../auth/admin-auth.decorator';
import { ApiProblemResponses, fieldProblem } from '../http/api-problem-responses.decorator';
import { PageQueryDto } from '../http/pagination.dto';
import { CREATE_DEFAULTS_DESCRIPTION, CreateWebhookEndpointDto } from './dto/create-webhook-endpoint.dto';
import { UpdateWebhookEndpointDto, WEBHOOK_EVENT_TYPES } from './dto/update-webhook-endpoint.dto';
import { ListWebhookDeliveriesQueryDto, WebhookDeliveryPageDto, WebhookDeliveryResponseDto } from './dto/webhook-delivery-response.dto';
import { WebhookEndpointPageDto, WebhookEndpointResponseDto, WebhookEndpointWithSecretDto } from './dto/webhook-endpoint-response.dto';
import {
  DeliveryIdParam,
  DeliveryIdPipe,
  EXAMPLE_DELIVERY_ID,
  EXAMPLE_WEBHOOK_ENDPOINT_ID,
  WEBHOOK_ENDPOINT_ID_PROBLEM,
  WebhookEndpointIdParam,
  WebhookEndpointIdPipe,
} from './webhook-ids.pipe';
import { PREVIOUS_SECRET_VALID_HOURS, WebhookEndpointsService } from './webhook-endpoints.service';
import { describeRetrySchedule } from '../config/retry-schedule';
import { WebhookEventDto } from './dto/webhook-event.dto';

const ENDPOINT_EXAMPLE: WebhookEndpointResponseDto = {
  webhook_endpoint_id: EXAMPLE_WEBHOOK_ENDPOINT_ID,
  url: 'https://gateway.example.com/hooks/customer-admin',
  description: 'API gateway rate limits',
  event_types: WEBHOOK_EVENT_TYPES,
  enabled: true,
  disabled_reason: null,
  disabled_at: null,
  failing_since: null,
  previous_secret_expires_at: null,
  created_at: '2026-01-05T09:30:00Z',
  updated_at: '2026-01-05T09:30:00Z',
};
const WITH_SECRET_EXAMPLE: WebhookEndpointWithSecretDto = { ...ENDPOINT_EXAMPLE, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' };
const DELIVERY_EXAMPLE: WebhookDeliveryResponseDto = {
  delivery_id: EXAMPLE_DELIVERY_ID,
  webhook_endpoint_id: ENDPOINT_EXAMPLE.webhook_endpoint_id,
  event_id: '1f0e5a7c-6c1b-4d7e-8a55-3b9c2f1d0e42',
  event_type: WEBHOOK_EVENT_TYPES[1],
  customer_id: '550e8400-e29b-41d4-a716-446655440000',
  status: 'pending' as WebhookDeliveryResponseDto['status'],
  attempts: 2,
  last_response_status: 503,
  last_response_body: 'upstream unavailable',
  last_error: null,
  last_duration_ms: 38,
  last_attempt_at: '2026-01-20T15:00:05Z',
  next_attempt_at: '2026-01-20T15:00:35Z',
  replay: false,
  created_at: '2026-01-20T15:00:00Z',
};

const DELIVERY_DESCRIPTION =
  'Each committed customer event is POSTed to every enabled endpoint subscribed to its type, signed per Standard Webhooks ' +
  '(`webhook-id` = the event id, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`). ' +
  'At least once, and in order per endpoint and customer. Failures (non-2xx, redirects, timeouts, refused connections) are retried after ' +
  `${describeRetrySchedule()} (each ±20 %), then given up; 410 Gone disables the endpoint, and so does a day of failures. ` +
  "The body of each event type (`WebhookEvent`, `CustomerUpdatedWebhook`, …), the headers and how to verify them are this operation's callbacks.";

@ApiTags('webhooks')
@AdminAuth()
@ApiExtraModels(WebhookEventDto)
@Controller('admin/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    operationId: 'createWebhookEndpoint',
    summary: 'Create Webhook Endpoint',
    description: `Register a URL to receive customer events. ${CREATE_DEFAULTS_DESCRIPTION} The response carries the signing \`secret\`, shown only here and on rotation.\n\n${DELIVERY_DESCRIPTION}`,
  })
  @ApiBody({
    type: CreateWebhookEndpointDto,
    examples: {
      // The first example is what Swagger UI's Try it out sends: a receiver on this machine, so trying it sends nothing elsewhere.
      everything: {
        summary: 'Every event, to a receiver on this machine (development allows http and loopback)',
        value: { url: 'http://127.0.0.1:4000/hooks/customer-admin', description: 'Local receiver' },
      },
      updatesOnly: {
        summary: 'Only changes, to a public https receiver',
        value: { url: 'https://billing.example.com/webhooks', event_types: ['customer.updated'] },
      },
    },
  })
  @ApiCreatedResponse({ type: WebhookEndpointWithSecretDto, description: 'The endpoint and its secret.', example: WITH_SECRET_EXAMPLE })
  @ApiProblemResponses([400, fieldProblem('url', 'url must use https in production (set WEBHOOK_ALLOW_HTTP=true to allow http)')], 403, 413, 415)
  create(@Body() dto: CreateWebhookEndpointDto): Promise<WebhookEndpointWithSecretDto> {
    return this.endpoints.create(dto);
  }

  @Get()
  @ApiOperation({
    operationId: 'listWebhookEndpoints',
    summary: 'List Webhook Endpoints',
    description: 'Newest first, with cursor pagination as for customers. Secrets are never listed.',
  })
  @ApiOkResponse({ type: WebhookEndpointPageDto, example: { data: [ENDPOINT_EXAMPLE], has_more: false, next_cursor: null } })
  @ApiProblemResponses([400, fieldProblem('starting_after', "starting_after is not a cursor of this list; pass a page's next_cursor")])
  list(@Query() query: PageQueryDto): Promise<WebhookEndpointPageDto> {
    return this.endpoints.list(query);
  }

  @Get(':webhook_endpoint_id')
  @ApiOperation({
    operationId: 'getWebhookEndpoint',
    summary: 'Get Webhook Endpoint',
    description: 'The endpoint, with whether it is enabled and why the service disabled it. Never the secret.',
  })
  @WebhookEndpointIdParam()
  @ApiOkResponse({ type: WebhookEndpointResponseDto, example: ENDPOINT_EXAMPLE })
  @ApiProblemResponses([400, WEBHOOK_ENDPOINT_ID_PROBLEM], 404)
  findOne(@Param('webhook_endpoint_id', WebhookEndpointIdPipe) endpointId: string): Promise<WebhookEndpointResponseDto> {
    return this.endpoints.findOne(endpointId);
  }

  @Put(':webhook_endpoint_id')
  @ApiOperation({
    operationId: 'updateWebhookEndpoint',
    summary: 'Update Webhook Endpoint',
    description:
      'All fields are optional; only provided fields change. `"enabled": true` re-enables a disabled endpoint and sends its pending deliveries at once.',
  })
  @WebhookEndpointIdParam()
  @ApiBody({
    type: UpdateWebhookEndpointDto,
    examples: {
      reenable: { summary: 'Re-enable after fixing the receiver', value: { enabled: true } },
      moveUrl: { summary: 'Move to a new URL', value: { url: 'https://gateway.example.com/hooks/v2' } },
    },
  })
  @ApiOkResponse({ type: WebhookEndpointResponseDto, example: ENDPOINT_EXAMPLE })
  @ApiProblemResponses([400, fieldProblem('url', 'url must not contain credentials; authenticate deliveries by their signature')], 403, 404, 413, 415)
  update(@Param('webhook_endpoint_id', WebhookEndpointIdPipe) endpointId: string, @Body() dto: UpdateWebhookEndpointDto): Promise<WebhookEndpointResponseDto> {
    return this.endpoints.update(endpointId, dto);
  }

  @Delete(':webhook_endpoint_id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'deleteWebhookEndpoint',
    summary: 'Delete Webhook Endpoint',
    description: 'Stops deliveries to the endpoint and deletes it with its delivery log.',
  })
  @WebhookEndpointIdParam()
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblemResponses([400, WEBHOOK_ENDPOINT_ID_PROBLEM], 403, 404)
  remove(@Param('webhook_endpoint_id', WebhookEndpointIdPipe) endpointId: string): Promise<void> {
    return this.endpoints.remove(endpointId);
  }

  @Post(':webhook_endpoint_id/rotate-secret')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'rotateWebhookEndpointSecret',
    summary: 'Rotate Webhook Secret',
    description:
      `A new signing secret, shown only in this response. For ${PREVIOUS_SECRET_VALID_HOURS} hours deliveries carry two signatures in \`webhook-signature\` ` +
      '(space-separated, new secret first), so a receiver verifies with either while it switches over.',
  })
  @WebhookEndpointIdParam()
  @ApiOkResponse({ type: WebhookEndpointWithSecretDto, example: { ...WITH_SECRET_EXAMPLE, previous_secret_expires_at: '2026-01-21T09:30:00Z' } })
  @ApiProblemResponses([400, WEBHOOK_ENDPOINT_ID_PROBLEM], 403, 404)
  rotateSecret(@Param('webhook_endpoint_id', WebhookEndpointIdPipe) endpointId: string): Promise<WebhookEndpointWithSecretDto> {
    return this.endpoints.rotateSecret(endpointId);
  }

  @Get(':webhook_endpoint_id/deliveries')
  @ApiOperation({
    operationId: 'listWebhookDeliveries',
    summary: 'List Webhook Deliveries',
    description: "The endpoint's delivery log, newest event first: status, attempts, the last response or error, and when a pending delivery is next tried.",
  })
  @WebhookEndpointIdParam()
  @ApiOkResponse({ type: WebhookDeliveryPageDto, example: { data: [DELIVERY_EXAMPLE], has_more: false, next_cursor: null } })
  @ApiProblemResponses([400, fieldProblem('status', 'status must be one of: pending, succeeded, failed')], 404)
  listDeliveries(
    @Param('webhook_endpoint_id', WebhookEndpointIdPipe) endpointId: string,
    @Query() query: ListWebhookDeliveriesQueryDto,
  ): Promise<WebhookDeliveryPageDto> {
    return this.endpoints.listDeliveries(endpointId, query);
  }

  @Post(':webhook_endpoint_id/deliveries/:delivery_id/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    operationId: 'retryWebhookDelivery',
    summary: 'Retry Webhook Delivery',
    description:
      'Sends the delivery again as soon as possible, whatever its status (one more attempt; a failed one is given up again if that fails). ' +
      'Later events of the same customer wait for it, as for any pending delivery.',
  })
  @WebhookEndpointIdParam()
  @DeliveryIdParam()
  @ApiAcceptedResponse({
    type: WebhookDeliveryResponseDto,
    description: 'The delivery, pending and due now.',
    example: { ...DELIVERY_EXAMPLE, next_attempt_at: '2026-01-20T15:10:00Z' },
  })
  @ApiProblemResponses([400, WEBHOOK_ENDPOINT_ID_PROBLEM], 403, 404, 409)
  retryDelivery(
    @Param('webhook_endpoint_id', WebhookEndpointIdPipe) endpointId: string,
    @Param('delivery_id', DeliveryIdPipe) deliveryId: string,
  ): Promise<WebhookDeliveryResponseDto> {
    return this.endpoints.retryDelivery(endpointId, deliveryId);
  }

  @Post(':webhook_endpoint_id/replay')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    operationId: 'replayWebhookEndpoint',
    summary: 'Replay Webhook Events',
    description:
      'Sends the endpoint the published events after `after_position` (positions as in `GET /admin/events`) up to `until_position` (default: the newest) again: ' +
      'one new delivery per event of a type the endpoint subscribes to, marked `replay: true` in the delivery log, signed and sent in order per customer like live deliveries ' +
      `(a receiver deduplicates by \`webhook-id\`, the event id). At most ${REPLAY_MAX_EVENTS} positions per replay: replay a longer range in steps. A disabled endpoint is 409.`,
  })
  @WebhookEndpointIdParam()
  @ApiAcceptedResponse({
    type: WebhookReplayResponseDto,
    description: 'The number of deliveries created.',
    example: { deliveries: 42, after_position: 0, until_position: 1000 },
  })
  @ApiProblemResponses(
    [
      400,
      fieldProblem(
        'until_position',
        `a replay covers at most ${REPLAY_MAX_EVENTS} positions: replay in steps, until_position = after_position + ${REPLAY_MAX_EVENTS}, then from there (this range has 250000)`,
      ),
    ],
    403,
    404,
    409,
    413,
    415,
  )
  replay(@Param('webhook_endpoint_id', WebhookEndpointIdPipe) endpointId: string, @Body() dto: ReplayWebhookEndpointDto): Promise<WebhookReplayResponseDto> {
    return this.endpoints.replay(endpointId, dto);
  }
}
