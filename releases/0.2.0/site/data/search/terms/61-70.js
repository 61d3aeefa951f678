NC.data("search/terms/61-70",{"apparently":[101,105,223,252,272],"appease":[95,208,275],"april":[30,117,123,152,273,274,276]});
