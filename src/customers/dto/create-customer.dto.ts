import { ApiProperty, ApiSchema, OmitType } from '@nestjs/swagger';
import { IsDefined, IsString } from 'class-validator';
import { CodePointLength, IsDisplayName } from '../../http/validation';
import { Transform } from 'class-transformer';
import { COMPANY_NAME_MAX_LENGTH, CONTACT_EMAIL_MAX_LENGTH, IsContactEmail, NAME_LENGTH_UNIT, normaliseEmail, trimString } from './customer-fields';
import { UpdateCustomerDto } from './update-customer.dto';

/** A new customer: tier defaults to starter and status to active; a custom tier needs its three negotiated values. */
@ApiSchema({ name: 'CreateCustomer' })
export class CreateCustomerDto extends OmitType(UpdateCustomerDto, ['company_name', 'contact_email'] as const) {
  @ApiProperty({ description: `Company name (trimmed). ${NAME_LENGTH_UNIT}`, minLength: 1, maxLength: COMPANY_NAME_MAX_LENGTH, example: 'Acme Financial' })
  @Transform(trimString)
  @IsDefined({ message: '$property is required' })
  @IsString()
  @CodePointLength(1, COMPANY_NAME_MAX_LENGTH)
  @IsDisplayName()
  company_name: string;

  @ApiProperty({
    description: 'Contact email (stored lower-case)',
    format: 'email',
    maxLength: CONTACT_EMAIL_MAX_LENGTH,
    example: 'compliance@acmefinancial.com',
  })
  @Transform(normaliseEmail)
  @IsDefined({ message: '$property is required' })
  @IsContactEmail()
  @CodePointLength(1, CONTACT_EMAIL_MAX_LENGTH)
  contact_email: string;
}
