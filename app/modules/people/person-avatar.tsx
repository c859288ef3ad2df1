/**
 * A colleague's photo, or their initials on a coloured disc when there is none. The initials are
 * decorative (aria-hidden) because the name is always written next to the avatar; the photo's alt text
 * is empty for the same reason unless the caller asks for a described photo (the profile page).
 */

/** How many background colours app.css defines for initials (all with AA contrast for white text). */
const PALETTE_SIZE = 8;

/**
 * A stable colour per person, so the same colleague always looks the same. A class rather than an inline
 * style: the Content-Security-Policy allows no inline styles.
 */
function paletteOf(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % PALETTE_SIZE;
}

export function PersonAvatar({
  person,
  size = "small",
  alt = "",
}: {
  person: { id: string; avatarUrl: string | null; initials: string };
  size?: "small" | "large";
  alt?: string;
}) {
  const className = `avatar avatar--${size}`;
  if (person.avatarUrl) {
    const pixels = size === "large" ? 160 : 56;
    return (
      <img
        className={className}
        src={person.avatarUrl}
        alt={alt}
        width={pixels}
        height={pixels}
        loading="lazy"
        decoding="async"
      />
    );
  }
  return (
    <span className={`${className} avatar--initials avatar--tone-${paletteOf(person.id)}`} aria-hidden="true">
      {person.initials}
    </span>
  );
}
