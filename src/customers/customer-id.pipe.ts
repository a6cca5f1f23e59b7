import { ApiParam } from '@nestjs/swagger';
import { fieldProblem } from '../http/api-problem-responses.decorator';
import { uuidParamMessage, uuidParamPipe } from '../http/uuid-param';

/** The reference's example customer, seeded into an empty embedded database so its curl examples work as printed. */
export const REFERENCE_CUSTOMER_ID = '550e8400-e29b-41d4-a716-446655440000';
export const CUSTOMER_ID_PROBLEM = fieldProblem('customer_id', uuidParamMessage('customer_id', REFERENCE_CUSTOMER_ID));

/** The customer_id path parameter, with the seeded reference customer as its example (so Try it out finds it). */
export const CustomerIdParam = () => ApiParam({ name: 'customer_id', description: 'Customer UUID', format: 'uuid', example: REFERENCE_CUSTOMER_ID });

export const CustomerIdPipe = uuidParamPipe('customer_id', REFERENCE_CUSTOMER_ID);
