import { MAX_CUSTOMER_QUERY_LENGTH, MAX_CUSTOMER_RESULTS, MAX_PAYMENTS_PAGE, MAX_TERMINALS_PAGE } from '@smilepay/checkout/infrastructure';
import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

// Query shapes of the read routes. Every list is bounded; unknown query parameters are refused like unknown fields.

export const DEFAULT_PAYMENTS_PAGE = 50;

export class ListPaymentsQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAYMENTS_PAGE)
  limit?: number;
}

export class ListTerminalsQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_TERMINALS_PAGE)
  limit?: number;
}

export class SearchCustomersQuery {
  /** A customer id prefix, or the last 2 to 4 digits of a phone number. */
  @IsString()
  @Length(1, MAX_CUSTOMER_QUERY_LENGTH)
  q!: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_CUSTOMER_RESULTS)
  limit?: number;
}

/** The domain's id alphabet (checkout and customer ids): anything else cannot name a row, so it is a bad request. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_:.-]{0,127}$/;

export class IdParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !ID.test(value)) {
      throw new BadRequestException({ code: 'invalid_request', message: 'ids are 1-128 characters of [A-Za-z0-9_:.-]', details: {} });
    }
    return value;
  }
}
