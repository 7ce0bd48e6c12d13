import { CURRENCIES, type CurrencyCode } from '@smilepay/ledger/domain';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

const MINOR = /^[0-9]{1,19}$/;

export class RegisterMerchantDto {
  @IsUUID()
  merchantId!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name!: string;

  @IsIn(CURRENCIES)
  currency!: CurrencyCode;
}

export class RegisterTerminalDto {
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/)
  terminalId!: string;

  @IsUUID()
  merchantId!: string;
}

export class RegisterCustomerDto {
  @IsUUID()
  customerId!: string;

  @IsString()
  @Matches(/^\+?[0-9 ()-]{6,24}$/, { message: 'phone must be a phone number' })
  phone!: string;

  @IsIn(CURRENCIES)
  currency!: CurrencyCode;

  /** Opening balance moved in from the external account (a top-up); optional. */
  @IsOptional()
  @Matches(MINOR, { message: 'initialFundingMinor must be a decimal string of minor units' })
  initialFundingMinor?: string;
}

export class GiveConsentDto {
  @IsString()
  @MinLength(20)
  @MaxLength(20_000)
  consentText!: string;

  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,32}$/)
  consentTextVersion!: string;

  @IsString()
  @MinLength(3)
  @MaxLength(200)
  purpose!: string;

  @IsInt()
  @Min(1)
  @Max(3650)
  retentionTermDays!: number;
}

export class SetPinDto {
  @IsString()
  @Matches(/^[0-9]{6}$/, { message: 'pin must be 6 digits' })
  pin!: string;
}

export class WithdrawConsentDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reason!: string;
}
