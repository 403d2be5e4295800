package org.joinleaf.api;

import java.util.Arrays;
import java.util.UUID;

/**
 * {@code WSAPROTOCOL_INFOW}: one catalog entry. Winsock rules it carries: the {@code XP1_*} bits of
 * {@code dwServiceFlags1} say what a socket made from it may do (§1.2: {@code C_ROOT} needs
 * {@code XP1_SUPPORT_MULTIPOINT|XP1_MULTIPOINT_CONTROL_PLANE}, {@code D_ROOT} needs
 * {@code XP1_SUPPORT_MULTIPOINT|XP1_MULTIPOINT_DATA_PLANE}, leaf flags need {@code XP1_SUPPORT_MULTIPOINT});
 * {@code dwCatalogEntryId} is assigned by the runtime when the entry enters the catalog; {@code WSAEnumProtocols}
 * leaves out {@code PFL_HIDDEN} entries and layered entries ({@code ChainLen} 0).
 */
public final class WSAPROTOCOL_INFO {
    /** {@code sizeof(WSAPROTOCOL_INFOW)}: what {@code WSAEnumProtocols} counts its buffer length in. */
    public static final int SIZE = 628;

    public int dwServiceFlags1;
    public int dwServiceFlags2;
    public int dwServiceFlags3;
    public int dwServiceFlags4;
    public int dwProviderFlags;
    /** The provider's GUID; entries with the same id belong to one provider. */
    public UUID ProviderId;
    public int dwCatalogEntryId;
    /** {@code WSAPROTOCOLCHAIN}: {@code ChainLen} 0 = layer, 1 = base protocol, more = chain. */
    public final WSAPROTOCOLCHAIN ProtocolChain = new WSAPROTOCOLCHAIN();
    public int iVersion = 2;
    public int iAddressFamily;
    public int iMaxSockAddr;
    public int iMinSockAddr;
    public int iSocketType;
    public int iProtocol;
    public int iProtocolMaxOffset;
    /** 0 = big-endian (network order), 1 = little-endian. */
    public int iNetworkByteOrder;
    public int iSecurityScheme;
    /** Largest message; 0 for streams, 0xFFFFFFFF for "no limit". */
    public int dwMessageSize;
    public int dwProviderReserved;
    /** Human-readable protocol name, at most {@link Winsock2#WSAPROTOCOL_LEN} characters. */
    public String szProtocol = "";

    /** {@code WSAPROTOCOLCHAIN}. */
    public static final class WSAPROTOCOLCHAIN {
        public int ChainLen = Winsock2.BASE_PROTOCOL;
        public final int[] ChainEntries = new int[Winsock2.MAX_PROTOCOL_CHAIN];
    }

    /** An empty entry (an out parameter). */
    public WSAPROTOCOL_INFO() {
    }

    /** A deep copy of {@code other}. */
    public WSAPROTOCOL_INFO(WSAPROTOCOL_INFO other) {
        set(other);
    }

    /** An array of empty entries with room for {@code bufferLength} bytes, as C code would {@code malloc} it. */
    public static WSAPROTOCOL_INFO[] array(int bufferLength) {
        WSAPROTOCOL_INFO[] a = new WSAPROTOCOL_INFO[bufferLength / SIZE];
        for (int i = 0; i < a.length; i++) {
            a[i] = new WSAPROTOCOL_INFO();
        }
        return a;
    }

    /** Copies every field of {@code other} into this structure. */
    public WSAPROTOCOL_INFO set(WSAPROTOCOL_INFO other) {
        dwServiceFlags1 = other.dwServiceFlags1;
        dwServiceFlags2 = other.dwServiceFlags2;
        dwServiceFlags3 = other.dwServiceFlags3;
        dwServiceFlags4 = other.dwServiceFlags4;
        dwProviderFlags = other.dwProviderFlags;
        ProviderId = other.ProviderId;
        dwCatalogEntryId = other.dwCatalogEntryId;
        ProtocolChain.ChainLen = other.ProtocolChain.ChainLen;
        System.arraycopy(other.ProtocolChain.ChainEntries, 0, ProtocolChain.ChainEntries, 0, Winsock2.MAX_PROTOCOL_CHAIN);
        iVersion = other.iVersion;
        iAddressFamily = other.iAddressFamily;
        iMaxSockAddr = other.iMaxSockAddr;
        iMinSockAddr = other.iMinSockAddr;
        iSocketType = other.iSocketType;
        iProtocol = other.iProtocol;
        iProtocolMaxOffset = other.iProtocolMaxOffset;
        iNetworkByteOrder = other.iNetworkByteOrder;
        iSecurityScheme = other.iSecurityScheme;
        dwMessageSize = other.dwMessageSize;
        dwProviderReserved = other.dwProviderReserved;
        szProtocol = other.szProtocol;
        return this;
    }

    /** True when every bit of {@code xp1} is set in {@code dwServiceFlags1}. */
    public boolean has(int xp1) {
        return (dwServiceFlags1 & xp1) == xp1;
    }

    @Override
    public String toString() {
        return "WSAPROTOCOL_INFO{id=" + dwCatalogEntryId + ", '" + szProtocol + "', af=" + iAddressFamily
                + ", type=" + iSocketType + ", proto=" + iProtocol
                + ", flags1=0x" + Integer.toHexString(dwServiceFlags1)
                + ", chain=" + Arrays.toString(Arrays.copyOf(ProtocolChain.ChainEntries, ProtocolChain.ChainLen)) + "}";
    }
}
