import { Pipe, PipeTransform } from '@angular/core';

/** The first 8 characters of an id, enough to tell rows apart; the full id goes in a title or a link. */
@Pipe({ name: 'shortId' })
export class ShortIdPipe implements PipeTransform {
  transform(id: string | null | undefined): string {
    if (!id) return '—';
    return id.length > 10 ? id.slice(0, 8) + '…' : id;
  }
}
