import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { CustomerResponseDto } from './customer-response.dto';

@ApiSchema({ name: 'CustomerPage' })
export class CustomerPageDto {
  @ApiProperty({ type: [CustomerResponseDto] })
  data: CustomerResponseDto[];

  @ApiProperty({ description: 'Whether older customers follow' })
  has_more: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `starting_after` for the next page; null on the last page' })
  next_cursor: string | null;
}
