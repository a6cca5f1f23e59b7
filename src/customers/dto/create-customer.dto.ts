import { ApiProperty, OmitType } from '@nestjs/swagger';
import { IsDefined, IsEmail, IsString, Length } from 'class-validator';
import { Transform } from 'class-transformer';
import { COMPANY_NAME_MAX_LENGTH, normaliseEmail, trimString } from './customer-fields';
import { UpdateCustomerDto } from './update-customer.dto';

/** A new customer: tier defaults to starter and status to active; a custom tier needs its three negotiated values. */
export class CreateCustomerDto extends OmitType(UpdateCustomerDto, ['company_name', 'contact_email'] as const) {
  @ApiProperty({ description: 'Company name (trimmed)', minLength: 1, maxLength: COMPANY_NAME_MAX_LENGTH, example: 'Acme Financial' })
  @Transform(trimString)
  @IsDefined({ message: '$property is required' })
  @IsString()
  @Length(1, COMPANY_NAME_MAX_LENGTH)
  company_name: string;

  @ApiProperty({ description: 'Contact email (stored lower-case)', format: 'email', example: 'compliance@acmefinancial.com' })
  @Transform(normaliseEmail)
  @IsDefined({ message: '$property is required' })
  @IsEmail({}, { message: 'contact_email must be a valid email address' })
  contact_email: string;
}
