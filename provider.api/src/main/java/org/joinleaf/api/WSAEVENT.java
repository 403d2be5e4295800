package org.joinleaf.api;

/**
 * An event object handle ({@code WSAEVENT}), created by {@link Winsock#WSACreateEvent()}. Winsock rules it carries:
 * the object is manual-reset and starts non-signalled; {@code WSAEventSelect} signals it when a selected network
 * event is recorded; {@code WSAEnumNetworkEvents} resets it; {@code closesocket} does not close it. Only the runtime
 * implements this type; {@code WSA_INVALID_EVENT} is {@code null}.
 */
@org.osgi.annotation.versioning.ProviderType
public interface WSAEVENT {
}
