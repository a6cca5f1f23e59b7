import { ApiSchema } from '@nestjs/swagger';
import { PageDtoOf } from '../../http/pagination.dto';
import { CustomerResponseDto } from './customer-response.dto';

@ApiSchema({ name: 'CustomerPage' })
export class CustomerPageDto extends PageDtoOf(CustomerResponseDto, 'customers') {}
