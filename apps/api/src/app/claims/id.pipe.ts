import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

const ID = /^[A-Za-z0-9][A-Za-z0-9_:.-]{0,127}$/;

/** Claim and alert ids in paths: the same spelling rule as every stream id (no '-' surprises, bounded length). */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !ID.test(value)) {
      throw new BadRequestException({ code: 'invalid_id', message: 'ids are 1-128 characters of [A-Za-z0-9_:.-]', details: { id: value } });
    }
    return value;
  }
}
