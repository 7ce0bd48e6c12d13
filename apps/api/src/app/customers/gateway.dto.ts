import { CURRENCIES, type CurrencyCode } from '@smilepay/ledger/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

// Validated mirrors of the wire types in @smilepay/checkout/contracts (internal-api.ts). The gateway is trusted to
// be who it says (signed), not to be bug-free, so every field is still checked and unknown fields are refused.

export class CheckoutContextDto {
  @IsUUID()
  checkoutId!: string;

  @IsUUID()
  merchantId!: string;

  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/)
  terminalId!: string;

  @Matches(/^[0-9]{1,19}$/)
  amountMinor!: string;

  @IsIn(CURRENCIES)
  currency!: CurrencyCode;

  @IsString()
  @MaxLength(128)
  terminalIdempotencyKey!: string;
}

export class FrameDigestDto {
  @IsInt()
  @Min(0)
  seq!: number;

  @Matches(/^[0-9a-f]{64}$/)
  rgbSha256!: string;

  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/)
  depthSha256?: string;

  @IsString()
  @MaxLength(64)
  status!: string;
}

export class FrameCountsDto {
  @IsInt() @Min(0) @Max(10_000) received!: number;
  @IsInt() @Min(0) @Max(10_000) analyzed!: number;
  @IsInt() @Min(0) @Max(10_000) dropped!: number;
}

export class RecordLivenessVerdictDto {
  @IsIn(['RecordLivenessVerdict'])
  type!: 'RecordLivenessVerdict';

  @ValidateNested()
  @Type(() => CheckoutContextDto)
  checkout!: CheckoutContextDto;

  @IsIn(['live', 'spoof', 'inconclusive'])
  verdict!: 'live' | 'spoof' | 'inconclusive';

  @IsObject()
  scores!: Record<string, number>;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  attackSpecies!: string | null;

  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  reasons!: string[];

  @ValidateNested()
  @Type(() => FrameCountsDto)
  frames!: FrameCountsDto;

  @IsArray()
  @ArrayMaxSize(120)
  @ValidateNested({ each: true })
  @Type(() => FrameDigestDto)
  frameDigests!: FrameDigestDto[];

  @IsObject()
  modelVersions!: Record<string, string>;

  @IsNumber()
  @Min(0)
  decisionLatencyMs!: number;

  @IsString()
  decidedAt!: string;
}

export class EmbeddingDto {
  @IsIn(['float32le-base64'])
  encoding!: 'float32le-base64';

  @IsInt()
  @Min(1)
  @Max(2048)
  dimensions!: number;

  @IsString()
  @MaxLength(12_000)
  data!: string;
}

export class FaceQualityDto {
  @IsNumber() @Min(0) @Max(1) score!: number;
  @IsObject() faceBox!: { x: number; y: number; width: number; height: number };
  @IsObject() details!: Record<string, number>;
}

export class SubmitFaceProbeDto {
  @IsIn(['SubmitFaceProbe'])
  type!: 'SubmitFaceProbe';

  @ValidateNested()
  @Type(() => CheckoutContextDto)
  checkout!: CheckoutContextDto;

  @IsIn(['live'])
  livenessVerdict!: 'live';

  @Matches(/^[0-9+]{0,16}$/)
  phoneDigits!: string;

  @IsIn(['last_digits', 'full_number'])
  phoneDigitsKind!: 'last_digits' | 'full_number';

  @ValidateNested()
  @Type(() => EmbeddingDto)
  embedding!: EmbeddingDto;

  @ValidateNested()
  @Type(() => FaceQualityDto)
  quality!: FaceQualityDto;

  @ValidateNested()
  @Type(() => FrameDigestDto)
  probeFrame!: FrameDigestDto;

  @IsArray()
  @ArrayMaxSize(120)
  @ValidateNested({ each: true })
  @Type(() => FrameDigestDto)
  frameDigests!: FrameDigestDto[];

  @IsObject()
  modelVersions!: Record<string, string>;

  @IsString()
  submittedAt!: string;
}

/** A terminal presenting a face credential again (for instance after a network failure, or an attacker replaying). */
export class PresentCredentialDto {
  @IsUUID()
  credentialId!: string;

  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/)
  terminalId!: string;

  @IsString()
  @MaxLength(128)
  terminalSessionId!: string;

  @IsUUID()
  transferId!: string;
}

/** 6 digits, as SetPinDto: the PIN is compared with its argon2 hash and never stored or logged. */
const PIN_PATTERN = /^[0-9]{6}$/;

export class SubmitPinDto {
  @IsIn(['SubmitPin'])
  type!: 'SubmitPin';

  @ValidateNested()
  @Type(() => CheckoutContextDto)
  checkout!: CheckoutContextDto;

  @Matches(PIN_PATTERN, { message: 'pin must be 6 digits' })
  pin!: string;
}

export class StartPinCheckoutDto {
  @IsIn(['StartPinCheckout'])
  type!: 'StartPinCheckout';

  @ValidateNested()
  @Type(() => CheckoutContextDto)
  checkout!: CheckoutContextDto;

  @Matches(/^\+?[0-9]{6,15}$/, { message: 'phoneNumber must be the whole number: 6 to 15 digits, optionally after a +' })
  phoneNumber!: string;

  @Matches(PIN_PATTERN, { message: 'pin must be 6 digits' })
  pin!: string;
}
