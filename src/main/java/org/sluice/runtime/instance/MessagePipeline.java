package org.sluice.runtime.instance;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.transform.ErrorListener;
import javax.xml.transform.Templates;
import javax.xml.transform.TransformerConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.sax.SAXSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.transform.stream.StreamSource;

import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.JsonToken;

/**
 * What an instance does to each message: validate it, transform it if the service has a
 * transform, deliver it. The stylesheet is compiled once; the pipeline is safe to use from many
 * threads at once.
 *
 * <p>XML is parsed with external entities and external DTDs switched off and the JDK's secure
 * processing limits on, so a message cannot make the instance read files or fetch URLs.
 */
public final class MessagePipeline {
    private static final Logger LOG = LoggerFactory.getLogger(MessagePipeline.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final Validation validation;
    private final Templates transform;
    private final Destination destination;
    private final SAXParserFactory parsers;

    private MessagePipeline(Validation validation, Templates transform, Destination destination) {
        this.validation = Objects.requireNonNull(validation, "validation");
        this.transform = transform;
        this.destination = Objects.requireNonNull(destination, "destination");
        this.parsers = secureParsers();
    }

    /**
     * @param transformFile an XSLT stylesheet, compiled now, or empty for none
     * @throws TransformerConfigurationException when the stylesheet cannot be read or does not compile
     */
    public static MessagePipeline create(Validation validation, Optional<Path> transformFile, Destination destination)
            throws TransformerConfigurationException {
        Templates templates = null;
        if (transformFile.isPresent()) {
            templates = compile(transformFile.get());
        }
        return new MessagePipeline(validation, templates, destination);
    }

    /**
     * Runs one message through the pipeline.
     *
     * @throws MessageRejectedException when validation or the transform fails
     * @throws DeliveryException        when the destination does not take it
     */
    public void process(String messageId, byte[] message) throws MessageRejectedException, DeliveryException {
        validate(message);
        byte[] out = transform == null ? message : transform(message);
        destination.deliver(messageId, out);
    }

    void validate(byte[] message) throws MessageRejectedException {
        switch (validation) {
            case XML -> validateXml(message);
            case JSON -> validateJson(message);
            case NONE -> {
                // Any bytes are a message.
            }
            default -> throw new IllegalStateException("unknown validation " + validation);
        }
    }

    private void validateXml(byte[] message) throws MessageRejectedException {
        try {
            reader().parse(new InputSource(new ByteArrayInputStream(message)));
        } catch (SAXParseException e) {
            // Where, in our words: the parser's own message names its internals, and the sender
            // gets this text back.
            throw new MessageRejectedException("not well-formed XML (line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + ")", e);
        } catch (SAXException e) {
            throw new MessageRejectedException("not well-formed XML", e);
        } catch (IOException e) {
            throw new MessageRejectedException("the XML could not be read", e);
        }
    }

    private static void validateJson(byte[] message) throws MessageRejectedException {
        try (JsonParser parser = JSON.createParser(message)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new MessageRejectedException("not well-formed JSON: the message is empty", null);
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new MessageRejectedException("not well-formed JSON: more follows the value" + where(parser.currentTokenLocation()), null);
            }
        } catch (JsonEOFException e) {
            throw new MessageRejectedException("not well-formed JSON: it ends inside a value" + where(e.getLocation()), e);
        } catch (JsonProcessingException e) {
            // The parser's own message names its tokens and settings; the sender gets this text back.
            throw new MessageRejectedException("not well-formed JSON" + where(e.getLocation()), e);
        } catch (IOException e) {
            throw new MessageRejectedException("the JSON could not be read", e);
        }
    }

    private static String where(JsonLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private byte[] transform(byte[] message) throws MessageRejectedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, message.length));
        try {
            javax.xml.transform.Transformer transformer = transform.newTransformer();
            transformer.setErrorListener(new FailingErrorListener());
            transformer.transform(new SAXSource(reader(), new InputSource(new ByteArrayInputStream(message))),
                    new StreamResult(out));
        } catch (TransformerException | SAXException e) {
            throw new MessageRejectedException("the transform failed: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private XMLReader reader() throws SAXException {
        try {
            XMLReader reader = parsers.newSAXParser().getXMLReader();
            reader.setContentHandler(new DefaultHandler());
            reader.setErrorHandler(new DefaultHandler() {
                @Override
                public void error(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return reader;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's SAX parser refuses its standard features", e);
        }
    }

    private static SAXParserFactory secureParsers() {
        SAXParserFactory factory = SAXParserFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setXIncludeAware(false);
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's SAX parser refuses its standard security features", e);
        }
        return factory;
    }

    private static Templates compile(Path stylesheet) throws TransformerConfigurationException {
        TransformerFactory factory = TransformerFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        // The stylesheet is the operator's own file and may import its neighbours; messages may not
        // reach outside at all, and neither may DTDs.
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "file");
        factory.setErrorListener(new FailingErrorListener());
        return factory.newTemplates(new StreamSource(stylesheet.toFile()));
    }

    /** Turns every transform error into an exception instead of printing it, and logs warnings. */
    private static final class FailingErrorListener implements ErrorListener {
        @Override
        public void warning(TransformerException exception) {
            LOG.warn("transform warning: {}", exception.getMessageAndLocation());
        }

        @Override
        public void error(TransformerException exception) throws TransformerException {
            throw exception;
        }

        @Override
        public void fatalError(TransformerException exception) throws TransformerException {
            throw exception;
        }
    }
}
