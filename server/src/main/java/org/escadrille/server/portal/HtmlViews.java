package org.escadrille.server.portal;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;
import org.thymeleaf.spring6.view.ThymeleafViewResolver;

/**
 * Every template is an HTML page, whatever the address ends with: left alone, Thymeleaf would guess the
 * content type from the request's extension, and the "not found" page of {@code /files/download/x.json}
 * would be sent as JSON.
 */
@Component
class HtmlViews implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof ThymeleafViewResolver resolver) {
            resolver.setForceContentType(true);
        }
        return bean;
    }
}
