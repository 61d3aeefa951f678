NC.data("search/terms/65-61",{"earlier":[39,209,273,274],"east":[14,83,146,199,276]});
